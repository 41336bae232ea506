/**
 * exam.review.*: what the exam plan costs a review. Two students with the same 1,000 Review cards
 * of one bank (stabilities 3–40 days, half due now, half spread over the next 30 days); one has an
 * exam 20 days ahead covering the whole bank (target 0.95: many passed cards must be placed),
 * the other none. submitReview (Good) on a due card of each, alternating (`paired`): the
 * no-exam student's review is the baseline, so the ratio is what reading the exam, the item and
 * the loads, and placing the card, adds. Also one planExamCards over the 1,000 cards (setting the
 * exam), and the exams query alone (what every review pays with no exam), each beside the review
 * baseline's median. SQLite (the review loop's engine in a single deployment).
 */
import { cards, exams, users } from '../../db/schema';
import { submitReview } from '../../app/models/review.server';
import { planExamCards } from '../../app/models/exam-schedule.server';
import { examsOf } from '../../app/models/exam.server';
import { State } from '../../app/scheduling/scheduler';
import { createRng } from '../../engine/random';
import { loadContentBank } from '../../app/models/bank.server';
import { paired, percentile, record, type Benchmark, type BenchRecord } from './harness';
import { benchDatabase } from './scheduler.bench';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-02T15:00:00Z');

export async function runExamReviewBench({ cardsPerStudent = 1000, timed = 200 } = {}): Promise<BenchRecord[]> {
  const { database, dispose } = await benchDatabase('sqlite');
  try {
    const { db } = database;
    await loadContentBank({ db, bank: { id: 'nets', title: 'nets', items: Array.from({ length: cardsPerStudent }, (_, i) => ({ id: `f${i}`, kind: 'basic' as const, topic: `t${i % 8}`, tags: [], front: `front ${i}`, back: `back ${i}` })) }, now: new Date(0) });
    const itemIds = Array.from({ length: cardsPerStudent }, (_, i) => `nets/f${i}`);
    const student = async (email: string) => (await db.insert(users).values({ email, displayName: email, passwordHash: 'scrypt$bench', createdAt: new Date(0) }).returning({ id: users.id }))[0]!.id;
    const withExam = await student('exam@example.test');
    const without = await student('plain@example.test');
    for (const userId of [withExam, without]) {
      const rng = createRng(16);
      const rows = itemIds.map((itemId, i) => {
        const stability = 3 + rng.next() * 37;
        const due = i % 2 === 0 ? NOW - 3_600_000 : NOW + rng.next() * 30 * DAY;
        const lastReview = due - stability * DAY;
        return { userId, itemId, due: new Date(due), stability, difficulty: 3 + rng.next() * 5, elapsedDays: 0, scheduledDays: Math.round(stability), learningSteps: 0, reps: 4, lapses: 0, state: State.Review, lastReview: new Date(lastReview) };
      });
      for (let i = 0; i < rows.length; i += 200) await db.insert(cards).values(rows.slice(i, i + 200));
    }
    const [exam] = await db
      .insert(exams)
      .values({ ownerId: withExam, classId: null, title: 'Final', at: new Date(NOW + 20 * DAY), timeZone: 'UTC', target: 0.95, scope: JSON.stringify({ banks: ['nets'], topics: [], families: [] }), createdAt: new Date(NOW) })
      .returning();

    // The due cards, reviewed one each per timed call (both students alike); the plan's placements counted.
    const due = itemIds.filter((_, i) => i % 2 === 0);
    if (timed + 1 > due.length) throw new Error(`exam.review: ${timed} timed reviews need more than ${due.length} due cards`);
    let n = 0;
    let k = 0;
    let placed = 0;
    const review = (userId: number, itemId: string) =>
      submitReview({ db, userId, itemId, clientReviewId: `b${++n}`, seed: null, rawAnswer: 'x', readAs: null, correct: true, misconception: null, rating: 3, suggestedRating: 3, durationMs: 3000, hinted: false, now: new Date(NOW + n * 1000) });
    const times = await paired(
      timed,
      async () => {
        const r = await review(withExam, due[k]!);
        if (r.card.due < NOW + 20 * DAY) placed++;
      },
      async () => {
        await review(without, due[k++]!);
      },
    );
    // What every review now pays with no exam ahead: the one exams query.
    const examsQuery = await paired(timed, () => examsOf({ db, userId: without, after: new Date(NOW) }), async () => undefined);
    // Setting the exam: its cards planned at once (one call: a second finds them planned).
    const t0 = performance.now();
    const moved = await planExamCards({ db, examId: exam!.id, now: new Date(NOW + 2 * DAY) });
    const planMs = performance.now() - t0;
    const name = (f: string) => `exam.review.sqlite.${f}`;
    const round = (ms: number) => Math.round(ms * 1000) / 1000;
    return [
      ...([50, 99] as const).map((p) => record(name(`submit.p${p}_ms`), round(percentile(times.appTimes, p)), `ms (exam ahead, ${cardsPerStudent.toLocaleString('en-US')} cards in scope)`, { name: name(`submit_no_exam.p${p}_ms`), value: round(percentile(times.bareTimes, p)) })),
      record(name('exams_query.p50_ms'), round(percentile(examsQuery.appTimes, 50)), 'ms (examsOf, no exam: the cost every review pays)', { name: name('submit_no_exam.p50_ms'), value: round(percentile(times.bareTimes, 50)) }),
      record(name('submit.placed'), placed, `of ${timed + 1} reviews moved into the plan days`),
      record(name('plan_exam_cards_ms'), round(planMs), `ms (planExamCards over ${cardsPerStudent.toLocaleString('en-US')} cards: ${moved} moved)`, { name: name('submit_no_exam.p50_ms'), value: round(percentile(times.bareTimes, 50)) }),
    ];
  } finally {
    await dispose();
  }
}

export const examReviewBenchmarks: Benchmark[] = [{ name: 'exam.review.sqlite', run: () => runExamReviewBench(process.env.BENCH_EXAM_SIZE === 'small' ? { cardsPerStudent: 200, timed: 20 } : {}) }];
