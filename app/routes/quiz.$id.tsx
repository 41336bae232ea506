import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import type { ClientActionFunctionArgs, ShouldRevalidateFunction } from '@remix-run/react';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useFetcher, useLoaderData } from '@remix-run/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { GradedResult } from '~/components/graded-result';
import { DailyReviewIntervals, type ShownInterval } from '~/components/rating-buttons';
import { clockText, Countdown } from '~/components/quiz/countdown';
import { storageKeyOf, useQuizDrafts, type DraftEntry, type Drafts, type SaveReply } from '~/components/quiz/drafts';
import { isAnswered, QuestionInput } from '~/components/quiz/question-input';
import { QuestionNav } from '~/components/quiz/question-nav';
import { QuestionResult } from '~/components/quiz/question-result';
import { parseForm } from '~/forms';
import { AccessDenied } from '~/models/access.server';
import { StoredItemError } from '~/study.server';
import { addMissesToReview, AnswerDraftSchema, checkAnswer, QuizRefused, quizPage, replayAttempt, saveAnswers, submitQuiz } from '~/models/quiz.server';
import { assertSameOrigin, requireUser } from '~/session.server';
import { whenText } from '~/models/assignment.server';
import quizStyles from '~/styles/quiz.css';
import { QuizActionSchema } from '~/models/quiz.server';
import { countOf, nounFor } from '../../engine/answers';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: quizStyles }];

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [
  { title: page ? `${page.state === 'results' ? 'Quiz results' : 'Quiz'} ${page.attempt.id} — Stride` : 'Quiz — Stride' },
];

function attemptIdOf(param: string | undefined): number {
  const id = Number(param);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response('Not Found', { status: 404 });
  return id;
}

/** Model refusals as HTTP: someone else's attempt is a 403; a stored item that no longer parses, a 500 naming it. */
function asHttp(err: unknown): never {
  if (err instanceof AccessDenied) throw new Response(err.message, { status: 403 });
  if (err instanceof StoredItemError) throw new Response(err.message, { status: 500, statusText: 'Stored item unreadable' });
  throw err;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const attemptId = attemptIdOf(params.id);
  const now = new Date();
  try {
    const page = await quizPage({ userId: user.id, attemptId, now });
    const times = { startedMs: page.attempt.startedAt.getTime(), deadlineMs: page.attempt.deadlineAt?.getTime() ?? null, submittedMs: page.attempt.submittedAt?.getTime() ?? null, serverNowMs: now.getTime() };
    const revealText = page.assigned ? whenText(page.assigned.revealAt, user.timeZone) : null;
    return { ...page, times, revealText };
  } catch (err) {
    asHttp(err);
  }
}



export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireUser(request);
  const attemptId = attemptIdOf(params.id);
  const parsed = parseForm(QuizActionSchema(), await request.formData());
  if (!parsed.ok) return data({ kind: 'invalid' as const, errors: parsed.errors }, { status: 400 });
  const input = parsed.data;
  const base = { userId: user.id, attemptId, now: new Date() };
  try {
    switch (input.intent) {
      case 'save':
        return { kind: 'saved' as const, answers: await saveAnswers({ ...base, drafts: input.answers }) };
      case 'check':
        return { kind: 'checked' as const, position: input.answers[0]!.position, result: await checkAnswer({ ...base, draft: input.answers[0]! }) };
      case 'submit':
        return { kind: 'submitted' as const, result: await submitQuiz({ ...base, drafts: input.answers }) };
      case 'addMisses':
        return { kind: 'missesAdded' as const, added: await addMissesToReview(base) };
      case 'replay':
        return redirect(`/quiz/${(await replayAttempt(base)).id}`);
    }
  } catch (err) {
    if (err instanceof QuizRefused) return data({ kind: 'refused' as const, message: err.message }, { status: err.status });
    asHttp(err);
  }
}

/**
 * A request that never reached the server (the connection dropped) is an answer like any
 * other here, not an error page: the drafts stay in localStorage and are sent again.
 */
export async function clientAction({ serverAction }: ClientActionFunctionArgs) {
  try {
    return await serverAction<typeof action>();
  } catch (err) {
    if (err instanceof TypeError) return { kind: 'offline' as const };
    throw err;
  }
}

/** Autosaves and checks change nothing the loader shows, unless the attempt turned out closed. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, actionResult, defaultShouldRevalidate }) => {
  const intent = formData?.get('intent');
  if (intent === 'save' || intent === 'check') return (actionResult as { kind?: string } | undefined)?.kind === 'refused';
  return defaultShouldRevalidate;
};

type MissesAdded = Extract<ActionReply, { kind: 'missesAdded' }>['added'];

/** What "add my misses" did, exactly: "5 missed questions are at the front of today's review (2 new to you). 1 is suspended and was left out." */
function missesAddedText(added: MissesAdded): string {
  const isAre = (n: number) => (n === 1 ? 'is' : 'are');
  const parts: string[] = [];
  if (added.missed === 0) return 'Nothing was missed: there is nothing to add.';
  if (added.atFront > 0) parts.push(`${countOf(added.atFront, 'missed question')} ${isAre(added.atFront)} at the front of today's review (${added.newToYou} new to you).`);
  if (added.buried > 0) parts.push(`${added.buried} ${isAre(added.buried)} buried until tomorrow and will come first then.`);
  if (added.suspended > 0) parts.push(`${added.suspended} ${isAre(added.suspended)} suspended and ${added.suspended === 1 ? 'was' : 'were'} left out.`);
  if (added.notStudied > 0) parts.push(`${added.notStudied} ${added.notStudied === 1 ? 'is not in a bank' : 'are not in banks'} you study (or no longer in ${added.notStudied === 1 ? 'its bank' : 'their banks'}) and ${added.notStudied === 1 ? 'was' : 'were'} left out.`);
  return parts.join(' ');
}

type Loaded = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>>;
type Taking = Extract<Loaded, { state: 'taking' }>;
type Results = Extract<Loaded, { state: 'results' }>;
type ActionReply = Awaited<ReturnType<typeof clientAction>>;

export default function QuizAttempt() {
  const page = useLoaderData<typeof loader>();
  if (!page) return null;
  return page.state === 'taking' ? <TakeQuiz key={page.attempt.id} page={page} /> : <QuizResults key={page.attempt.id} page={page} />;
}

function TakeQuiz({ page }: { page: Taking }) {
  const { attempt, questions, times } = page;
  const practice = attempt.mode === 'practice';
  const saveFetcher = useFetcher<SaveReply>({ key: `quiz-save-${attempt.id}` });
  const submitFetcher = useFetcher<ActionReply>({ key: `quiz-submit-${attempt.id}` });
  const checkFetcher = useFetcher<ActionReply>({ key: `quiz-check-${attempt.id}` });
  const [initial] = useState<Drafts>(() => Object.fromEntries(questions.map((q) => [q.position, { answer: q.answer, flagged: q.flagged, timeMs: q.timeMs }])));
  const submitting = submitFetcher.state !== 'idle' || submitFetcher.data?.kind === 'submitted';
  const { drafts, dirty, update, status } = useQuizDrafts({ attemptId: attempt.id, initial, fetcher: saveFetcher, closed: submitting });
  const [current, setCurrent] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const [checked, setChecked] = useState<Record<number, NonNullable<Taking['questions'][number]['checked']>>>(() =>
    Object.fromEntries(questions.flatMap((q) => (q.checked ? [[q.position, q.checked]] : []))),
  );
  // Practice mode: what each rating would give the checked item in daily review (nothing is scheduled).
  const [dailyIntervals, setDailyIntervals] = useState<Record<number, ShownInterval[]>>(() =>
    Object.fromEntries(questions.flatMap((q) => (q.dailyIntervals ? [[q.position, q.dailyIntervals]] : []))),
  );
  const shownAt = useRef(Date.now());
  const question = questions[current]!;

  /** Time on the current question since it was shown or last counted. */
  const takeElapsed = () => {
    const now = Date.now();
    const spent = now - shownAt.current;
    shownAt.current = now;
    return spent;
  };

  const go = (position: number) => {
    if (position === current || !questions[position]) return;
    const spent = takeElapsed();
    update(current, (d) => ({ ...d, timeMs: d.timeMs + spent }));
    setCurrent(position);
    setConfirming(false);
  };

  const setAnswer = (raw: string) => {
    const spent = takeElapsed();
    update(current, (d) => ({ ...d, answer: raw, timeMs: d.timeMs + spent }));
  };

  const toggleFlag = () => update(current, (d) => ({ ...d, flagged: !d.flagged }));

  const entryWithTime = (): DraftEntry[] => {
    const spent = takeElapsed();
    const byPosition = new Map(dirty.map((e) => [e.position, e]));
    const cur = drafts[current] ?? { answer: '', flagged: false, timeMs: 0 };
    byPosition.set(current, { position: current, ...cur, timeMs: cur.timeMs + spent });
    return [...byPosition.values()];
  };

  const submit = useCallback(() => {
    setConfirming(false);
    submitFetcher.submit({ intent: 'submit', answers: JSON.stringify(entryWithTime()) }, { method: 'post' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dirty, drafts, current, submitFetcher]);

  // Time is up: send what is not saved yet; the server (not this clock) decides what counts.
  const submitRef = useRef(submit);
  submitRef.current = submit;
  const onExpire = useCallback(() => submitRef.current(), []);

  // A submit that never reached the server is sent again: the drafts are still here.
  useEffect(() => {
    if (submitFetcher.state !== 'idle' || submitFetcher.data?.kind !== 'offline') return;
    const timer = setTimeout(() => submitRef.current(), 2_000);
    return () => clearTimeout(timer);
  }, [submitFetcher.state, submitFetcher.data]);

  const check = () => {
    const d = drafts[current] ?? { answer: '', flagged: false, timeMs: 0 };
    const spent = takeElapsed();
    checkFetcher.submit({ intent: 'check', answers: JSON.stringify([{ position: current, ...d, timeMs: d.timeMs + spent }]) }, { method: 'post' });
  };

  useEffect(() => {
    const reply = checkFetcher.data;
    if (checkFetcher.state === 'idle' && reply?.kind === 'checked' && reply.result.status === 'graded') {
      const { position, result } = reply;
      setChecked((c) => ({ ...c, [position]: result.graded }));
      setDailyIntervals((d) => ({ ...d, [position]: result.dailyIntervals }));
    }
  }, [checkFetcher.state, checkFetcher.data]);

  const answered = (p: number) => isAnswered(drafts[p]?.answer ?? '');
  const flagged = (p: number) => drafts[p]?.flagged ?? false;
  const answeredCount = questions.filter((q) => answered(q.position)).length;
  const unanswered = questions.filter((q) => !answered(q.position)).map((q) => q.position + 1);
  const draft = drafts[current] ?? { answer: '', flagged: false, timeMs: 0 };
  const locked = checked[current] !== undefined || submitting;
  const checkReply = checkFetcher.state === 'idle' && checkFetcher.data?.kind === 'checked' && checkFetcher.data.position === current ? checkFetcher.data.result : null;
  const refusal = [submitFetcher.data, saveFetcher.data, checkFetcher.data].find((r): r is { kind: 'refused'; message: string } => r?.kind === 'refused');

  return (
    <section className="quiz-take" aria-labelledby="quiz-title" data-attempt={attempt.id} data-mode={attempt.mode}>
      <header className="quiz-bar">
        <h1 id="quiz-title">
          {page.assigned ? `${page.assigned.title} · ` : ''}
          {practice ? 'Practice quiz' : 'Exam'} · {countOf(questions.length, 'question')}
        </h1>
        {times.deadlineMs !== null ? <Countdown deadlineMs={times.deadlineMs} serverNowMs={times.serverNowMs} onExpire={onExpire} /> : <p className="countdown">No time limit</p>}
        <p className="save-status" data-testid="save-status" data-status={status} aria-live="polite">
          {status === 'saved' ? 'All answers saved' : status === 'saving' ? 'Saving…' : status === 'offline' ? 'Offline: answers kept in this browser, sent when the connection is back' : 'Not saved yet'}
        </p>
      </header>
      <div className="progress-row">
        <progress max={questions.length} value={answeredCount} aria-label={`${answeredCount} of ${questions.length} answered`} />
        <span data-testid="progress">
          {answeredCount} of {questions.length} answered
        </span>
      </div>
      <QuestionNav count={questions.length} current={current} answered={answered} flagged={flagged} onGo={go} />
      {refusal ? (
        <p className="field-error" role="alert">
          {refusal.message}
        </p>
      ) : null}
      <article className="card quiz-question" data-testid="question" data-position={current} data-item={question.card.itemId} data-seed={question.card.seed ?? ''} data-kind={question.card.kind}>
        <p className="meta">
          Question {current + 1} of {questions.length} · {question.card.topic}
        </p>
        {question.card.title ? <h2 className="card-title">{question.card.title}</h2> : null}
        <div className="prompt" dangerouslySetInnerHTML={{ __html: question.card.promptHtml }} />
        <QuestionInput key={current} card={question.card} value={draft.answer} onChange={setAnswer} locked={locked} />
        <div className="quiz-question-actions">
          <button type="button" className="secondary" aria-pressed={draft.flagged} onClick={toggleFlag} data-testid="flag">
            {draft.flagged ? '⚑ Flagged' : 'Flag for later'}
          </button>
          {practice && !checked[current] ? (
            <button type="button" onClick={check} disabled={checkFetcher.state !== 'idle' || submitting} data-testid="check">
              Check
            </button>
          ) : null}
          <button type="button" className="secondary" onClick={() => go(current - 1)} aria-disabled={current === 0}>
            ← Previous
          </button>
          <button type="button" className="secondary" onClick={() => go(current + 1)} aria-disabled={current === questions.length - 1} data-testid="next">
            Next →
          </button>
        </div>
        {checkReply?.status === 'unread' ? (
          <p className="unread" role="alert">
            {checkReply.feedback.join(' ')} (nothing spent)
          </p>
        ) : null}
        {checked[current] ? <GradedResult result={checked[current]!} /> : null}
        {checked[current] && dailyIntervals[current] ? <DailyReviewIntervals intervals={dailyIntervals[current]!} /> : null}
      </article>
      <footer className="quiz-submit">
        {confirming ? (
          <div className="confirm" role="alertdialog" aria-labelledby="confirm-text">
            <p id="confirm-text">
              {unanswered.length === 1 ? 'Question' : 'Questions'} {unanswered.join(', ')} {unanswered.length === 1 ? 'is' : 'are'} not answered. Submit anyway?
            </p>
            <button type="button" onClick={submit} data-testid="confirm-submit">
              Submit anyway
            </button>{' '}
            <button type="button" className="secondary" onClick={() => setConfirming(false)} autoFocus>
              Keep working
            </button>
          </div>
        ) : (
          <button type="button" onClick={() => (unanswered.length ? setConfirming(true) : submit())} disabled={submitting} data-testid="submit">
            {submitting ? 'Submitting…' : 'Submit'}
          </button>
        )}
      </footer>
    </section>
  );
}

function QuizResults({ page }: { page: Results }) {
  const { attempt, score, topics, questions, times, assigned, revealText } = page;
  const answersHidden = assigned?.answersHidden ?? false;
  const misses = useFetcher<ActionReply>({ key: `quiz-misses-${attempt.id}` });
  const added = misses.data?.kind === 'missesAdded' ? misses.data.added : null;
  const timedOut = times.deadlineMs !== null && times.submittedMs === times.deadlineMs;
  const totalMs = questions.reduce((n, q) => n + q.timeMs, 0);

  // Submitted: nothing is left to resend from this browser.
  useEffect(() => {
    try {
      window.localStorage.removeItem(storageKeyOf(attempt.id));
    } catch {
      // storage refused: nothing was kept
    }
  }, [attempt.id]);

  return (
    <section className="quiz-results" aria-labelledby="results-title" data-attempt={attempt.id}>
      <p className="breadcrumb">
        {assigned ? (
          <>
            <Link to={`/assignments/${assigned.id}`}>{assigned.title}</Link> ({assigned.className})
          </>
        ) : (
          <Link to="/quiz">Quizzes</Link>
        )}{' '}
        / attempt {attempt.id}
        {attempt.config.replayOf ? ` (replay of ${attempt.config.replayOf})` : ''}
      </p>
      {answersHidden ? (
        <p className="notice" data-testid="answers-hidden">
          This is a class exam others may still be taking: you see what was right and wrong; the correct answers and explanations come once it has closed for everyone ({revealText}).
        </p>
      ) : null}
      <h1 id="results-title">Results</h1>
      {timedOut ? (
        <p className="notice" data-testid="timed-out">
          Time ran out: the attempt was submitted at its deadline with the answers saved by then.
        </p>
      ) : null}
      <div className="cards">
        <div className="stat">
          <div className="value" data-testid="score">
            {score.correct} / {score.total}
          </div>
          <div>{score.percent}% right</div>
        </div>
        <div className="stat">
          <div className="value">{clockText(totalMs)}</div>
          <div>time on questions</div>
        </div>
        <div className="stat">
          <div className="value">{attempt.mode}</div>
          <div>{attempt.config.timeLimitMinutes === null ? 'no time limit' : `${attempt.config.timeLimitMinutes} min limit`}</div>
        </div>
      </div>
      <h2>By topic</h2>
      <table className="quiz-topics" data-testid="topics">
        <thead>
          <tr>
            <th>Topic</th>
            <th className="num">Right</th>
            <th className="num">Questions</th>
          </tr>
        </thead>
        <tbody>
          {topics.map((t) => (
            <tr key={t.topic}>
              <td>{t.topic}</td>
              <td className="num">{t.correct}</td>
              <td className="num">{t.total}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="quiz-results-actions">
        <misses.Form method="post">
          <input type="hidden" name="intent" value="addMisses" />
          <button type="submit" disabled={misses.state !== 'idle' || score.correct === score.total} data-testid="add-misses">
            Add my misses to daily review
          </button>
        </misses.Form>
        {answersHidden ? null : (
          <Form method="post">
            <input type="hidden" name="intent" value="replay" />
            <button type="submit" className="secondary" data-testid="replay">
              Replay this attempt
            </button>
          </Form>
        )}
        <Link to="/quiz" className="button secondary">
          New quiz
        </Link>
      </div>
      {added ? (
        <p role="status" data-testid="misses-added">
          {missesAddedText(added)}
        </p>
      ) : null}
      <h2>Questions</h2>
      {questions.map((q) => (
        <QuestionResult key={q.position} question={q} answersHidden={answersHidden} />
      ))}
    </section>
  );
}
