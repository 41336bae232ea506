import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { cards, quizAnswers, quizAttempts } from '../../db/schema';
import { AccessDenied } from '../../app/models/access.server';
import { loadContentBank, type BankItemInput } from '../../app/models/bank.server';
import { getCard, setSuspended } from '../../app/models/card.server';
import {
  addMissesToReview,
  checkAnswer,
  DEADLINE_GRACE_MS,
  listAttempts,
  matchingItems,
  parseQuizBuilderForm,
  QUIZ_ERRORS,
  QuizRefused,
  quizOptions,
  quizPage,
  replayAttempt,
  saveAnswers,
  slotsOf,
  startQuiz,
  submitQuiz,
  type QuizBuild,
} from '../../app/models/quiz.server';
import { submitReview } from '../../app/models/review.server';
import { getFamily } from '../../engine/families';
import { createRng } from '../../engine/random';
import { State } from 'ts-fsrs';
import { addUser, allRows, countRows, openTempDb, type TempDb } from './fixture';
import { isInjectedFailure, refuseWrites } from './failure';

const T0 = new Date('2025-03-01T09:00:00Z');
const MIN = 60_000;

/** A tiny bank: 3 choice, 2 cloze, 2 generated (auto-graded) and 2 basic cards (never in a quiz). */
const BANK: BankItemInput[] = [
  { id: 'c1', kind: 'choice', topic: 'alexnet', tags: ['alexnet'], question: 'Year of AlexNet?', options: [{ key: 'a', text: '2012' }, { key: 'b', text: '2014' }], answer: 'a', explanation: 'ILSVRC 2012.' },
  { id: 'c2', kind: 'choice', topic: 'vgg', tags: ['vgg'], question: 'VGG kernel size?', options: [{ key: 'a', text: '3×3' }, { key: 'b', text: '7×7' }], answer: 'a', explanation: 'Only 3×3.' },
  { id: 'c3', kind: 'choice', topic: 'history', tags: ['vgg', 'googlenet'], question: 'Winner of 2014?', options: [{ key: 'a', text: 'VGG' }, { key: 'b', text: 'GoogLeNet' }], answer: 'b', explanation: 'GoogLeNet won.' },
  { id: 'z1', kind: 'cloze', topic: 'resnet', tags: ['resnet'], text: 'ResNet-152 has {{c1::152}} layers.' },
  { id: 'z2', kind: 'cloze', topic: 'alexnet', tags: ['alexnet'], text: 'AlexNet input is {{c1::227}} pixels wide.' },
  { id: 'g1', kind: 'generated', topic: 'conv-arithmetic', tags: ['alexnet'], title: 'Conv output', family: 'conv-output-size', difficulty: 1 },
  { id: 'g2', kind: 'generated', topic: 'parameters', tags: [], title: 'Conv params', family: 'conv-params', difficulty: 2 },
  { id: 'b1', kind: 'basic', topic: 'alexnet', tags: ['alexnet'], front: 'Who built AlexNet?', back: 'Krizhevsky et al.' },
  { id: 'b2', kind: 'basic', topic: 'vgg', tags: ['vgg'], front: 'VGG from?', back: 'Oxford' },
];

const ALL: QuizBuild = { banks: [], topics: [], tags: [], families: [], count: 50, timeLimitMinutes: null, mode: 'exam' };

let t: TempDb;
let userId: number;
let otherId: number;

beforeEach(async () => {
  t = await openTempDb();
  await loadContentBank({ db: t.db, bank: { id: 'tiny', title: 'Tiny bank', items: BANK }, now: T0 });
  userId = await addUser(t.db, { email: 'ada@example.test', displayName: 'Ada' });
  otherId = await addUser(t.db, { email: 'bob@example.test', displayName: 'Bob' });
});
afterEach(() => t.close());

/** The right raw answer of a slot, computed here from the bank and the engine (not from gradeItem). */
function rightAnswer(itemId: string, seed: number | null): string {
  const item = BANK.find((b) => `tiny/${b.id}` === itemId)!;
  if (item.kind === 'choice') return String(item.answer);
  if (item.kind === 'cloze') return /\{\{c1::([^}]+)\}\}/.exec(String(item.text))![1]!;
  const family = getFamily(String(item.family));
  return family.generate(createRng(seed!), { difficulty: item.difficulty as 1 | 2 | 3 }).answer.display;
}

function wrongAnswer(itemId: string): string {
  const item = BANK.find((b) => `tiny/${b.id}` === itemId)!;
  if (item.kind === 'choice') return item.answer === 'a' ? 'b' : 'a';
  if (item.kind === 'cloze') return 'no idea';
  return '1';
}

async function start(build: Partial<QuizBuild> = {}, now = T0) {
  return await startQuiz({ db: t.db, userId, build: { ...ALL, ...build }, now });
}

function draft(position: number, answer: string, extra: { flagged?: boolean; timeMs?: number } = {}) {
  return { position, answer, flagged: extra.flagged ?? false, timeMs: extra.timeMs ?? 1000 };
}

describe('building a quiz', () => {
  it('validates the form with messages per field', async () => {
    const form = new URLSearchParams([
      ['count', '51'],
      ['timeLimitMinutes', '0.01'],
      ['mode', 'timed'],
      ['topics', 'not-a-topic'],
    ]);
    const parsed = parseQuizBuilderForm(form);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.count).toBe('at most 50 questions');
    expect(parsed.errors.timeLimitMinutes).toContain('at least 0.05 minutes');
    expect(parsed.errors.mode).toBe('mode must be exam or practice');
    expect(parsed.errors.topics).toContain('a topic must be one of');
  });

  it('reads repeated checkboxes, fractional minutes and an empty limit', async () => {
    const form = new URLSearchParams([
      ['banks', 'tiny'],
      ['tags', 'alexnet'],
      ['tags', 'vgg'],
      ['families', 'conv-output-size'],
      ['count', '5'],
      ['timeLimitMinutes', '0.05'],
      ['mode', 'practice'],
    ]);
    expect(parseQuizBuilderForm(form)).toEqual({ ok: true, data: { banks: ['tiny'], topics: [], tags: ['alexnet', 'vgg'], families: ['conv-output-size'], count: 5, timeLimitMinutes: 0.05, mode: 'practice' } });
    const none = parseQuizBuilderForm(new URLSearchParams([['count', '3'], ['timeLimitMinutes', ''], ['mode', 'exam']]));
    expect(none.ok && none.data.timeLimitMinutes).toBe(null);
  });

  it('offers only auto-graded items, counted per bank, topic and architecture', async () => {
    const options = await quizOptions({ db: t.db, userId });
    expect(options.banks).toEqual([{ id: 'tiny', title: 'Tiny bank', count: 7 }]);
    expect(options.tags).toEqual([
      { tag: 'alexnet', count: 3 },
      { tag: 'googlenet', count: 1 },
      { tag: 'resnet', count: 1 },
      { tag: 'vgg', count: 2 },
    ]);
    expect(options.topics.find((o) => o.topic === 'alexnet')).toEqual({ topic: 'alexnet', count: 2 });
  });

  it('matches a topic or an architecture tag, within the chosen banks', async () => {
    const ids = async (f: Partial<QuizBuild>) => (await matchingItems({ db: t.db, userId, filter: { ...ALL, ...f } })).map((r) => r.id).sort();
    expect(await ids({ tags: ['vgg'] })).toEqual(['tiny/c2', 'tiny/c3']);
    expect(await ids({ topics: ['parameters'], tags: ['resnet'] })).toEqual(['tiny/g2', 'tiny/z1']);
    expect(await ids({ banks: ['nope'] })).toEqual([]);
  });

  it('stores the drawn items, distinct, and a fresh 31-bit seed for each generated item only', async () => {
    const attempt = await start({ count: 50 });
    const slots = slotsOf(attempt);
    expect(slots).toHaveLength(7); // fewer match than asked: all of them
    expect(new Set(slots.map((s) => s.itemId)).size).toBe(7);
    for (const s of slots) {
      if (s.itemId.startsWith('tiny/g')) expect(Number.isInteger(s.seed) && s.seed! >= 0 && s.seed! < 2 ** 31).toBe(true);
      else expect(s.seed).toBeNull();
    }
    const stored = (await t.db.select().from(quizAttempts).where(eq(quizAttempts.id, attempt.id)))[0]!;
    expect(JSON.parse(stored.seeds)).toEqual(slots);
    expect(JSON.parse(stored.config)).toMatchObject({ count: 50, mode: 'exam', timeLimitMinutes: null });
    expect(stored.deadlineAt).toBeNull();
    // Seeds are drawn afresh: over 20 attempts the generated items do not all repeat one seed.
    const seeds = new Set<number | null>();
    for (let i = 0; i < 20; i++) seeds.add(slotsOf(await start()).find((s) => s.itemId === 'tiny/g1')!.seed);
    expect(seeds.size).toBeGreaterThan(15);
  });

  it('draws `count` items among the matches, at random', async () => {
    const firsts = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const slots = slotsOf(await start({ count: 2, tags: ['alexnet'] }));
      expect(slots).toHaveLength(2);
      for (const s of slots) expect(['tiny/c1', 'tiny/z2', 'tiny/g1']).toContain(s.itemId);
      firsts.add(slots[0]!.itemId);
    }
    expect(firsts.size).toBe(3);
  });

  it('refuses with a clear message when nothing matches', async () => {
    await expect(start({ topics: ['densenet'] })).rejects.toThrow(QUIZ_ERRORS.nothingMatches);
    expect(await countRows(t, 'users')).toBe(2);
    expect((await t.db.select().from(quizAttempts))).toHaveLength(0);
  });

  it('sets the deadline from fractional minutes', async () => {
    expect((await start({ timeLimitMinutes: 0.05 })).deadlineAt).toEqual(new Date(T0.getTime() + 3000));
  });
});

describe('replay', () => {
  it('gives a new attempt with the same items, seeds and so the same prompts', async () => {
    const first = await start({ timeLimitMinutes: 10 });
    const again = await replayAttempt({ db: t.db, userId, attemptId: first.id, now: new Date(T0.getTime() + 60 * MIN) });
    expect(again.id).not.toBe(first.id);
    expect(slotsOf(again)).toEqual(slotsOf(first));
    expect(again.deadlineAt).toEqual(new Date(T0.getTime() + 70 * MIN));
    const prompts = async (id: number, at: number) => {
      const page = await quizPage({ db: t.db, userId, attemptId: id, now: new Date(T0.getTime() + at * MIN) });
      return page.state === 'taking' ? page.questions.map((q) => q.card.promptHtml) : [];
    };
    expect(await prompts(again.id, 61)).toEqual(await prompts(first.id, 1));
    expect(await prompts(first.id, 1)).toHaveLength(7);
    expect(JSON.parse((await t.db.select().from(quizAttempts).where(eq(quizAttempts.id, again.id)))[0]!.config).replayOf).toBe(first.id);
  });
});

describe('deadline enforced by the server', () => {
  it('accepts a save within the grace, refuses a later one with 409 and submits at the deadline', async () => {
    expect(DEADLINE_GRACE_MS).toBe(2000); // the decision record's "2 s for latency"; the times below are literal
    const attempt = await start({ timeLimitMinutes: 1 });
    const deadline = T0.getTime() + MIN;
    await saveAnswers({ db: t.db, userId, attemptId: attempt.id, drafts: [draft(0, 'early')], now: new Date(deadline - 1000) });
    await saveAnswers({ db: t.db, userId, attemptId: attempt.id, drafts: [draft(1, 'in grace')], now: new Date(deadline + 2000) });
    const late = new Date(deadline + 2001);
    let refused: unknown;
    try {
      await saveAnswers({ db: t.db, userId, attemptId: attempt.id, drafts: [draft(2, 'too late')], now: late });
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(QuizRefused);
    expect((refused as QuizRefused).status).toBe(409);
    expect((refused as QuizRefused).message).toBe(QUIZ_ERRORS.late(new Date(deadline), late));
    const stored = (await t.db.select().from(quizAttempts).where(eq(quizAttempts.id, attempt.id)))[0]!;
    expect(stored.submittedAt).toEqual(new Date(deadline));
    const answers = (await t.db.select().from(quizAnswers).where(eq(quizAnswers.attemptId, attempt.id)));
    expect(answers.map((a) => a.rawAnswer).sort()).toEqual(['early', 'in grace']);
    // Once submitted, even a save "in time" by a wrong clock is refused.
    await expect(saveAnswers({ db: t.db, userId, attemptId: attempt.id, drafts: [draft(0, 'x')], now: T0 })).rejects.toThrow(QUIZ_ERRORS.submitted(new Date(deadline)));
  });

  it('a load after the deadline shows the results, submitted at the deadline', async () => {
    const attempt = await start({ timeLimitMinutes: 0.05 });
    expect((await quizPage({ db: t.db, userId, attemptId: attempt.id, now: new Date(T0.getTime() + 2000) })).state).toBe('taking');
    const page = await quizPage({ db: t.db, userId, attemptId: attempt.id, now: new Date(T0.getTime() + 3000 + DEADLINE_GRACE_MS + 1) });
    expect(page.state).toBe('results');
    expect(page.attempt.submittedAt).toEqual(new Date(T0.getTime() + 3000));
  });

  it('the history submits attempts whose time ran out', async () => {
    const attempt = await start({ timeLimitMinutes: 1 });
    const [entry] = await listAttempts({ db: t.db, userId, now: new Date(T0.getTime() + 5 * MIN) });
    expect(entry!.id).toBe(attempt.id);
    expect(entry!.submittedAt).toEqual(new Date(T0.getTime() + MIN));
    expect(entry!.percent).toBe(0);
  });

  it('a submit within the grace keeps its last answers and is dated at the deadline', async () => {
    const attempt = await start({ timeLimitMinutes: 1 });
    const result = await submitQuiz({ db: t.db, userId, attemptId: attempt.id, drafts: [draft(0, 'last words')], now: new Date(T0.getTime() + MIN + 1500) });
    expect(result).toEqual({ kind: 'submitted', submittedAt: new Date(T0.getTime() + MIN) });
    expect((await t.db.select().from(quizAnswers)).map((a) => a.rawAnswer)).toEqual(['last words']);
  });
});

describe('submission is atomic', () => {
  const at = new Date(T0.getTime() + MIN);
  const rightDrafts = (slots: ReturnType<typeof slotsOf>, timeMs: number) => slots.map((s, i) => draft(i, rightAnswer(s.itemId, s.seed), { timeMs }));

  it('submitting twice stores one submission: the second is told when the first was, and changes nothing', async () => {
    const attempt = await start();
    const slots = slotsOf(attempt);
    expect(await submitQuiz({ db: t.db, userId, attemptId: attempt.id, drafts: rightDrafts(slots, 1000), now: at })).toEqual({ kind: 'submitted', submittedAt: at });
    const stored = await allRows(t, 'quiz_answers');
    const again = await submitQuiz({ db: t.db, userId, attemptId: attempt.id, drafts: [draft(0, wrongAnswer(slots[0]!.itemId))], now: new Date(at.getTime() + 1000) });
    expect(again).toEqual({ kind: 'already', submittedAt: at });
    expect(await allRows(t, 'quiz_answers')).toEqual(stored);
    expect(stored).toHaveLength(slots.length);
  });

  it('two submits at once: one submits, the other finds it submitted and writes none of its answers', async () => {
    const attempt = await start();
    const slots = slotsOf(attempt);
    const submit = (timeMs: number) => submitQuiz({ db: t.db, userId, attemptId: attempt.id, drafts: rightDrafts(slots, timeMs), now: at });
    const results = await Promise.all([submit(1000), submit(2000)]);
    expect(results.map((r) => r.kind).sort()).toEqual(['already', 'submitted']);
    expect(results.map((r) => r.submittedAt)).toEqual([at, at]);
    const winner = results[0]!.kind === 'submitted' ? 1000 : 2000;
    const answers = await t.db.select().from(quizAnswers).where(eq(quizAnswers.attemptId, attempt.id));
    // One row a question, all the winner's, all graded at its submission.
    expect(answers).toHaveLength(slots.length);
    expect(answers.every((a) => a.timeMs === winner && a.correct)).toBe(true);
    expect((await t.db.select().from(quizAttempts).where(eq(quizAttempts.id, attempt.id)))[0]!.submittedAt).toEqual(at);
  });

  it('a save racing the submit is either refused or graded by it, never written after it', async () => {
    const attempt = await start();
    const slots = slotsOf(attempt);
    const [submitted, saved] = await Promise.all([
      submitQuiz({ db: t.db, userId, attemptId: attempt.id, now: at }),
      saveAnswers({ db: t.db, userId, attemptId: attempt.id, drafts: rightDrafts(slots, 1000), now: at }).catch((err: unknown) => err),
    ]);
    expect(submitted).toEqual({ kind: 'submitted', submittedAt: at });
    const answers = await t.db.select().from(quizAnswers).where(eq(quizAnswers.attemptId, attempt.id));
    if (saved instanceof QuizRefused) {
      expect(saved.message).toBe(QUIZ_ERRORS.submitted(at));
      expect(answers).toEqual([]);
    } else {
      expect(saved).toHaveLength(slots.length);
      expect(answers.every((a) => a.correct)).toBe(true);
    }
  });

  it('a submit after the deadline and its grace is refused (409): the attempt is submitted at the deadline, as it stood', async () => {
    const attempt = await start({ timeLimitMinutes: 1 });
    const slots = slotsOf(attempt);
    await saveAnswers({ db: t.db, userId, attemptId: attempt.id, drafts: [draft(0, rightAnswer(slots[0]!.itemId, slots[0]!.seed))], now: new Date(T0.getTime() + 30_000) });
    const late = new Date(T0.getTime() + MIN + DEADLINE_GRACE_MS + 1);
    const refused = await submitQuiz({ db: t.db, userId, attemptId: attempt.id, drafts: rightDrafts(slots, 1000), now: late }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(QuizRefused);
    expect((refused as QuizRefused).status).toBe(409);
    expect((refused as QuizRefused).message).toBe(QUIZ_ERRORS.late(new Date(T0.getTime() + MIN), late));
    const answers = await t.db.select().from(quizAnswers).where(eq(quizAnswers.attemptId, attempt.id));
    expect(answers.map((a) => [a.position, a.correct])).toEqual([[0, true]]);
    expect(await submitQuiz({ db: t.db, userId, attemptId: attempt.id, now: late })).toEqual({ kind: 'already', submittedAt: new Date(T0.getTime() + MIN) });
  });

  it('a failure mid-submission leaves the attempt open and its answers as they were', async () => {
    const attempt = await start();
    const slots = slotsOf(attempt);
    await saveAnswers({ db: t.db, userId, attemptId: attempt.id, drafts: [draft(0, 'draft')], now: T0 });
    const before = { answers: await allRows(t, 'quiz_answers'), attempts: await allRows(t, 'quiz_attempts') };
    // The drafts and the grades are written before the attempt's row: the failure comes after them.
    await refuseWrites(t, 'quiz_attempts', 'update');
    expect(isInjectedFailure(await submitQuiz({ db: t.db, userId, attemptId: attempt.id, drafts: rightDrafts(slots, 1000), now: at }).catch((err: unknown) => err))).toBe(true);
    expect({ answers: await allRows(t, 'quiz_answers'), attempts: await allRows(t, 'quiz_attempts') }).toEqual(before);
  });
});

describe('results', () => {
  it('scores by regrading, per topic, with unanswered questions shown as such', async () => {
    const attempt = await start();
    const slots = slotsOf(attempt);
    // Right on even positions, wrong on 1 and 3, nothing on 5.
    const drafts = slots.flatMap((s, i) => (i === 5 ? [] : [draft(i, i % 2 === 0 ? rightAnswer(s.itemId, s.seed) : wrongAnswer(s.itemId), { timeMs: 1000 * (i + 1), flagged: i === 3 })]));
    await saveAnswers({ db: t.db, userId, attemptId: attempt.id, drafts, now: new Date(T0.getTime() + MIN) });
    expect((await quizPage({ db: t.db, userId, attemptId: attempt.id, now: new Date(T0.getTime() + MIN) })).state).toBe('taking');
    await submitQuiz({ db: t.db, userId, attemptId: attempt.id, now: new Date(T0.getTime() + 2 * MIN) });
    const page = await quizPage({ db: t.db, userId, attemptId: attempt.id, now: new Date(T0.getTime() + 3 * MIN) });
    if (page.state !== 'results') throw new Error('expected results');
    expect(page.score).toEqual({ correct: 4, total: 7, percent: 57.1 });
    expect(page.questions.map((q) => q.graded.correct)).toEqual([true, false, true, false, true, false, true]);
    expect(page.questions[5]!.answered).toBe(false);
    expect(page.questions[5]!.graded.status).toBe('unread');
    expect(page.questions[3]!.flagged).toBe(true);
    expect(page.questions[2]!.timeMs).toBe(3000);
    const topicTotals = page.topics.reduce((n, tp) => n + tp.total, 0);
    expect(topicTotals).toBe(7);
    for (const tp of page.topics) {
      const qs = page.questions.filter((q) => q.topic === tp.topic);
      expect(tp).toEqual({ topic: tp.topic, total: qs.length, correct: qs.filter((q) => q.graded.correct).length });
    }
    // Stored grades agree with the regrade, so the history's score is the page's.
    const [entry] = await listAttempts({ db: t.db, userId, now: new Date(T0.getTime() + 3 * MIN) });
    expect(entry!.percent).toBe(57.1);
  });

  it('a generated item answered with a misconception is diagnosed in the results', async () => {
    const attempt = await start({ topics: ['parameters'] });
    const slot = slotsOf(attempt)[0]!;
    const variant = getFamily('conv-params').generate(createRng(slot.seed!), { difficulty: 2 });
    const slip = variant.misconceptions.find((m) => m.value.kind === 'count');
    expect(slip).toBeDefined();
    const wrong = String(slip!.value.value);
    await submitQuiz({ db: t.db, userId, attemptId: attempt.id, drafts: [draft(0, wrong)], now: T0 });
    const page = await quizPage({ db: t.db, userId, attemptId: attempt.id, now: T0 });
    if (page.state !== 'results') throw new Error('expected results');
    expect(page.questions[0]!.graded.misconception?.id).toBe(slip!.id);
  });
});

describe('practice mode', () => {
  it('check grades one question and locks it; an unreadable answer stays open', async () => {
    const attempt = await start({ mode: 'practice', tags: ['vgg'] });
    const slots = slotsOf(attempt);
    const unread = await checkAnswer({ db: t.db, userId, attemptId: attempt.id, draft: draft(0, ''), now: T0 });
    expect(unread.status).toBe('unread');
    const checked = await checkAnswer({ db: t.db, userId, attemptId: attempt.id, draft: draft(0, rightAnswer(slots[0]!.itemId, null)), now: T0 });
    expect(checked.status === 'graded' && checked.graded.correct).toBe(true);
    // The locked answer no longer changes.
    await saveAnswers({ db: t.db, userId, attemptId: attempt.id, drafts: [draft(0, wrongAnswer(slots[0]!.itemId), { flagged: true })], now: T0 });
    const page = await quizPage({ db: t.db, userId, attemptId: attempt.id, now: T0 });
    if (page.state !== 'taking') throw new Error('expected taking');
    expect(page.questions[0]!.answer).toBe(rightAnswer(slots[0]!.itemId, null));
    expect(page.questions[0]!.flagged).toBe(true);
    expect(page.questions[0]!.checked?.correct).toBe(true);
    expect(page.questions[1]!.checked).toBeNull();
  });

  it('an exam refuses a check', async () => {
    const attempt = await start();
    await expect(checkAnswer({ db: t.db, userId, attemptId: attempt.id, draft: draft(0, 'a'), now: T0 })).rejects.toThrow(QUIZ_ERRORS.examCheck);
  });
});

describe('access', () => {
  it("another user's attempt is refused with 403 everywhere; an unknown one is 404", async () => {
    const attempt = await start();
    const calls: (() => Promise<unknown>)[] = [
      () => quizPage({ db: t.db, userId: otherId, attemptId: attempt.id, now: T0 }),
      () => saveAnswers({ db: t.db, userId: otherId, attemptId: attempt.id, drafts: [draft(0, 'a')], now: T0 }),
      () => submitQuiz({ db: t.db, userId: otherId, attemptId: attempt.id, now: T0 }),
      () => replayAttempt({ db: t.db, userId: otherId, attemptId: attempt.id, now: T0 }),
      () => addMissesToReview({ db: t.db, userId: otherId, attemptId: attempt.id, now: T0 }),
    ];
    for (const call of calls) {
      let err: unknown;
      try {
        await call();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AccessDenied);
      expect((err as AccessDenied).status).toBe(403);
      expect((err as AccessDenied).message).toBe(QUIZ_ERRORS.notYours(attempt.id));
    }
    expect((await t.db.select().from(quizAnswers))).toHaveLength(0);
    expect(await listAttempts({ db: t.db, userId: otherId, now: T0 })).toEqual([]);
    let missing: unknown;
    try {
      await quizPage({ db: t.db, userId, attemptId: attempt.id + 99, now: T0 });
    } catch (e) {
      missing = e;
    }
    expect(missing).toBeInstanceOf(Response);
    expect((missing as Response).status).toBe(404);
  });
});

describe('quizzes and the memory model', () => {
  it('taking and submitting a quiz leaves cards and reviews untouched', async () => {
    // A studied card with a review, to compare before and after.
    await submitReview({ db: t.db, userId, itemId: 'tiny/c1', clientReviewId: 'r1', seed: null, rawAnswer: 'a', readAs: ['a'], correct: true, misconception: null, rating: 3, suggestedRating: 3, durationMs: 4000, hinted: false, now: T0 });
    const before = { cards: await allRows(t, 'cards'), reviews: await allRows(t, 'reviews') };
    const attempt = await start({ mode: 'practice' });
    const slots = slotsOf(attempt);
    await checkAnswer({ db: t.db, userId, attemptId: attempt.id, draft: draft(0, wrongAnswer(slots[0]!.itemId)), now: T0 });
    await saveAnswers({ db: t.db, userId, attemptId: attempt.id, drafts: slots.map((s, i) => draft(i, rightAnswer(s.itemId, s.seed))), now: T0 });
    await submitQuiz({ db: t.db, userId, attemptId: attempt.id, now: T0 });
    await quizPage({ db: t.db, userId, attemptId: attempt.id, now: T0 });
    await replayAttempt({ db: t.db, userId, attemptId: attempt.id, now: T0 });
    expect({ cards: await allRows(t, 'cards'), reviews: await allRows(t, 'reviews') }).toEqual(before);
  });

  it('"add my misses" promotes every missed item (New cards for unseen ones), leaves suspended cards out, and keeps FSRS state and due dates', async () => {
    // c1 studied and due in the future; c2 suspended; z1 a New card; z2 a New card buried until tomorrow; c3, g2 never seen.
    await submitReview({ db: t.db, userId, itemId: 'tiny/c1', clientReviewId: 'r1', seed: null, rawAnswer: 'a', readAs: ['a'], correct: true, misconception: null, rating: 4, suggestedRating: 4, durationMs: 4000, hinted: false, now: T0 });
    await setSuspended({ db: t.db, userId, itemId: 'tiny/c2', suspended: true, now: T0 });
    for (const id of ['tiny/z1', 'tiny/z2']) {
      await setSuspended({ db: t.db, userId, itemId: id, suspended: true, now: T0 });
      await setSuspended({ db: t.db, userId, itemId: id, suspended: false, now: T0 });
    }
    const tomorrow = new Date(T0.getTime() + 24 * 60 * MIN);
    await t.db.update(cards).set({ buriedUntil: tomorrow }).where(eq(cards.itemId, 'tiny/z2'));
    const studied = (await getCard({ db: t.db, userId, itemId: 'tiny/c1' }))!;
    expect(studied.state).not.toBe(State.New);
    const now = new Date(T0.getTime() + 60 * MIN);
    expect(studied.due.getTime()).toBeGreaterThan(now.getTime());
    const attempt = await start({}, now);
    const slots = slotsOf(attempt);
    // Everything wrong except g1; nothing at all for c3.
    const drafts = slots.flatMap((s, i) => (s.itemId === 'tiny/c3' ? [] : [draft(i, s.itemId === 'tiny/g1' ? rightAnswer(s.itemId, s.seed) : wrongAnswer(s.itemId))]));
    await expect(addMissesToReview({ db: t.db, userId, attemptId: attempt.id, now })).rejects.toThrow(QUIZ_ERRORS.notSubmitted);
    await submitQuiz({ db: t.db, userId, attemptId: attempt.id, drafts, now });
    const before = { cards: await allRows(t, 'cards'), reviews: await allRows(t, 'reviews') };
    const cardBefore = new Map((await t.db.select().from(cards)).map((c) => [c.itemId, c]));

    const added = await addMissesToReview({ db: t.db, userId, attemptId: attempt.id, now });
    // Missed: c1 c2 c3 z1 z2 g2. At the front: c1 (studied), z1 (New), c3 g2 (new cards); z2 buried; c2 suspended.
    expect(added).toEqual({ missed: 6, atFront: 4, newToYou: 3, buried: 1, suspended: 1, notStudied: 0 });
    const promotion = { promotedAt: now, promotedBy: 'quiz', promotedQuiz: attempt.id };
    for (const id of ['tiny/c1', 'tiny/z1', 'tiny/z2']) {
      // Only the three promotion columns moved: stability, difficulty, due, reps, lapses, state, bury as they were.
      expect(await getCard({ db: t.db, userId, itemId: id })).toEqual({ ...cardBefore.get(id)!, ...promotion });
    }
    expect((await getCard({ db: t.db, userId, itemId: 'tiny/c1' }))!.due).toEqual(studied.due);
    expect(await getCard({ db: t.db, userId, itemId: 'tiny/c2' })).toEqual(cardBefore.get('tiny/c2'));
    expect(await getCard({ db: t.db, userId, itemId: 'tiny/g1' })).toBeUndefined();
    for (const id of ['tiny/c3', 'tiny/g2']) {
      const card = (await getCard({ db: t.db, userId, itemId: id }))!;
      expect({ state: card.state, reps: card.reps, lapses: card.lapses, stability: card.stability, due: card.due, lastReview: card.lastReview, suspended: card.suspended, buriedUntil: card.buriedUntil }).toEqual({
        state: State.New, reps: 0, lapses: 0, stability: 0, due: now, lastReview: null, suspended: false, buriedUntil: null,
      });
      expect({ promotedAt: card.promotedAt, promotedBy: card.promotedBy, promotedQuiz: card.promotedQuiz }).toEqual(promotion);
    }
    // Nothing else: no review written, the other user untouched, exactly two cards more.
    expect(await allRows(t, 'reviews')).toEqual(before.reviews);
    expect((await t.db.select().from(cards)).filter((c) => c.userId === otherId)).toHaveLength(0);
    expect(await countRows(t, 'cards')).toBe(before.cards.length + 2);

    // A second click, later: the same reply, and not a byte changed (promotedAt kept, no duplicates).
    const afterFirst = await allRows(t, 'cards');
    expect(await addMissesToReview({ db: t.db, userId, attemptId: attempt.id, now: new Date(now.getTime() + 5 * MIN) })).toEqual(added);
    expect(await allRows(t, 'cards')).toEqual(afterFirst);

    // Reviewing c1 ends its promotion; a click after that promotes it again, with the new time, and only it.
    const reviewedAt = new Date(now.getTime() + 10 * MIN);
    await submitReview({ db: t.db, userId, itemId: 'tiny/c1', clientReviewId: 'r2', seed: null, rawAnswer: 'a', readAs: ['a'], correct: true, misconception: null, rating: 3, suggestedRating: 3, durationMs: 4000, hinted: false, now: reviewedAt });
    const reviewed = (await getCard({ db: t.db, userId, itemId: 'tiny/c1' }))!;
    const later = new Date(now.getTime() + 20 * MIN);
    const othersBefore = (await t.db.select().from(cards)).filter((c) => c.itemId !== 'tiny/c1');
    expect(await addMissesToReview({ db: t.db, userId, attemptId: attempt.id, now: later })).toEqual({ ...added, newToYou: 3 });
    expect(await getCard({ db: t.db, userId, itemId: 'tiny/c1' })).toEqual({ ...reviewed, promotedAt: later });
    expect((await t.db.select().from(cards)).filter((c) => c.itemId !== 'tiny/c1')).toEqual(othersBefore);
  });

  it('"add my misses" leaves out an item no daily review holds: retired from its bank since the quiz', async () => {
    const attempt = await start();
    const slots = slotsOf(attempt);
    // Everything right but c1, which the bank then drops.
    await submitQuiz({ db: t.db, userId, attemptId: attempt.id, drafts: slots.map((s, i) => draft(i, s.itemId === 'tiny/c1' ? wrongAnswer(s.itemId) : rightAnswer(s.itemId, s.seed))), now: T0 });
    await loadContentBank({ db: t.db, bank: { id: 'tiny', title: 'Tiny bank', items: BANK.filter((b) => b.id !== 'c1') }, now: T0 });
    expect(await addMissesToReview({ db: t.db, userId, attemptId: attempt.id, now: T0 })).toEqual({ missed: 1, atFront: 0, newToYou: 0, buried: 0, suspended: 0, notStudied: 1 });
    expect(await countRows(t, 'cards')).toBe(0);
  });

  it('"add my misses" clicked twice at once makes each card once (the user\'s row lock)', async () => {
    const attempt = await start();
    await submitQuiz({ db: t.db, userId, attemptId: attempt.id, drafts: [], now: T0 });
    const replies = await Promise.all([1, 2].map(() => addMissesToReview({ db: t.db, userId, attemptId: attempt.id, now: T0 })));
    expect(replies).toEqual([1, 2].map(() => ({ missed: 7, atFront: 7, newToYou: 7, buried: 0, suspended: 0, notStudied: 0 })));
    expect(await countRows(t, 'cards')).toBe(7);
  });

  it('"add my misses" on a perfect attempt promotes nothing', async () => {
    const attempt = await start();
    const slots = slotsOf(attempt);
    await submitQuiz({ db: t.db, userId, attemptId: attempt.id, drafts: slots.map((s, i) => draft(i, rightAnswer(s.itemId, s.seed))), now: T0 });
    expect(await addMissesToReview({ db: t.db, userId, attemptId: attempt.id, now: T0 })).toEqual({ missed: 0, atFront: 0, newToYou: 0, buried: 0, suspended: 0, notStudied: 0 });
    expect(await countRows(t, 'cards')).toBe(0);
  });
});
