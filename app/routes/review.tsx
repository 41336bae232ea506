import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { useFetcher, useLoaderData, useNavigate, useRevalidator } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { AnswerForm } from '~/components/answer-form';
import { EnginePanel } from '~/components/engine-panel';
import { GradedResult } from '~/components/graded-result';
import { RatingButtons } from '~/components/rating-buttons';
import { parseForm } from '~/forms';
import { ReviewActionSchema } from '~/review.server';
import { aimedReviewSeed } from '~/models/aiming.server';
import { getItemForUser } from '~/models/bank.server';
import { applyCardAction, notFoundAsHttp } from '~/models/card-actions.server';
import { getCard } from '~/models/card.server';
import { dailyQueue } from '~/models/queue.server';
import { changeLastRating } from '~/models/rating-change.server';
import { schedulerSettingsOf, submitReview } from '~/models/review.server';
import { undoLast, undoMessage } from '~/models/undo.server';
import { ratingIntervals } from '~/scheduling/intervals';
import { parseCardState } from '~/scheduling/scheduler';
import { expectedAnswerMs, suggestRating } from '~/scheduling/rating';
import { assertSameOrigin, requireUser } from '~/session.server';
import { gradeItem, parseStoredItem, presentItem, storedItemFailureAsHttp } from '~/study.server';
import { countOf } from '../../engine/answers/format';
import { sessionEnd } from '~/session-end';

export const meta: MetaFunction = () => [{ title: 'Review — Stride' }];

/** Why a promoted card is first today, for the line above it; null for the daily queue's own cards. */
function promotedFrom(entry: { kind: string; promotedQuiz: number | null }): string | null {
  if (entry.kind === 'quiz') return entry.promotedQuiz === null ? 'From a quiz: you missed this one.' : `From quiz #${entry.promotedQuiz}: you missed this one.`;
  if (entry.kind === 'asked') return 'You asked to review this card now (cards page).';
  return null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const now = new Date();
  const queue = await dailyQueue({ userId: user.id, now });
  const done = queue.done.reviews + queue.done.new;
  const progress = { done, remaining: queue.entries.length, total: done + queue.entries.length };
  // After an undo the page asks for the card it brought back (?item=), if it is in today's queue.
  const wanted = new URL(request.url).searchParams.get('item');
  const next = queue.entries.find((e) => e.itemId === wanted) ?? queue.entries[0];
  if (!next) {
    const end = sessionEnd({ now, nextLearningAt: queue.nextLearningAt, tomorrowDue: queue.tomorrowDue, nextDayStart: queue.nextDayStart, timeZone: user.timeZone });
    return { card: null, progress, notice: null, from: null, aimReason: null, clientReviewId: null, end, nextLearningAt: queue.nextLearningAt?.toISOString() ?? null };
  }
  const row = await getItemForUser({ userId: user.id, itemId: next.itemId });
  if (!row) throw new Response('Not Found', { status: 404 });
  const item = storedItemFailureAsHttp(() => parseStoredItem({ bankId: row.bankId, itemId: row.id, content: row.content }));
  const card = await getCard({ userId: user.id, itemId: row.id });
  // A generated item's variant may aim at the regions of its family this student misses (decision 0031).
  const aim = item.kind === 'generated' ? await aimedReviewSeed({ userId: user.id, itemId: row.id, item, card }) : null;
  return {
    card: presentItem(row.id, item, aim?.seed ?? null),
    progress,
    notice: next.notice,
    from: promotedFrom(next),
    aimReason: aim?.reason ?? null,
    clientReviewId: crypto.randomUUID(),
    end: null,
    nextLearningAt: null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireUser(request);
  const parsed = parseForm(ReviewActionSchema, await request.formData());
  if (!parsed.ok) return data({ kind: 'invalid' as const, errors: parsed.errors }, { status: 400 });
  const input = parsed.data;
  const now = new Date();
  if (input.intent === 'undo') {
    // The latest of the last review and the last card action (suspend, bury) is taken back.
    const undone = await undoLast({ userId: user.id, now });
    const itemId = undone === null ? null : undone.kind === 'review' ? undone.itemId : (undone.itemIds[0] ?? null);
    return { kind: 'undone' as const, itemId, message: undoMessage(undone) };
  }
  if (input.intent === 'suspend' || input.intent === 'bury') {
    // Both keep the card and its history: suspended until unsuspended, buried until the next study day.
    await notFoundAsHttp(() => applyCardAction({ userId: user.id, action: input.intent, itemIds: [input.itemId], now }));
    return { kind: input.intent === 'suspend' ? ('suspended' as const) : ('buried' as const), itemId: input.itemId };
  }
  if (input.intent === 'rate') {
    try {
      const review = await changeLastRating({ userId: user.id, clientReviewId: input.clientReviewId, rating: input.rating as 1 | 2 | 3 | 4 });
      return { kind: 'rated' as const, rating: review.rating };
    } catch (err) {
      return data({ kind: 'invalid' as const, errors: { rating: err instanceof Error ? err.message : String(err) } }, { status: 409 });
    }
  }
  const row = await getItemForUser({ userId: user.id, itemId: input.itemId });
  if (!row) throw new Response('You do not study that item.', { status: 403 });
  const item = storedItemFailureAsHttp(() => parseStoredItem({ bankId: row.bankId, itemId: row.id, content: row.content }));
  const seed = input.seed === '' ? null : input.seed;
  if (item.kind === 'generated') {
    // The seed must be the one this card shows now, so the stored seed rebuilds the question seen.
    const card = await getCard({ userId: user.id, itemId: row.id });
    const expected = (await aimedReviewSeed({ userId: user.id, itemId: row.id, item, card })).seed;
    if (seed !== expected) {
      return data(
        { kind: 'invalid' as const, errors: { seed: 'This question has changed since it was shown (answered in another tab?). Reload to get the current one.' } },
        { status: 400 },
      );
    }
  }
  const graded = gradeItem(item, seed, input.answer);
  // An answer that could not be read spends no attempt: nothing is written.
  if (graded.status === 'unread') return { kind: 'unread' as const, feedback: graded.feedback };
  const hinted = input.hinted === 'true';
  const suggested = suggestRating({
    correct: graded.correct,
    hinted,
    durationMs: input.durationMs,
    expectedMs: expectedAnswerMs(item.kind, item.kind === 'generated' ? item.difficulty : 2),
  });
  const submitted = await submitReview({
    userId: user.id,
    itemId: row.id,
    clientReviewId: input.clientReviewId,
    seed,
    rawAnswer: input.answer,
    readAs: graded.value ?? null,
    correct: graded.correct,
    misconception: graded.misconception?.id ?? null,
    rating: suggested,
    suggestedRating: suggested,
    durationMs: input.durationMs,
    hinted,
    now,
  });
  // What each button would give: the review's before-state at its instant, exactly what changeLastRating would schedule.
  const intervals = ratingIntervals(parseCardState(submitted.review.stateBefore), submitted.review.reviewedAt, schedulerSettingsOf(user)).map(({ rating, label, words }) => ({ rating, label, words }));
  return {
    kind: 'graded' as const,
    itemId: row.id,
    clientReviewId: input.clientReviewId,
    result: graded,
    suggestedRating: submitted.review.suggestedRating,
    rating: submitted.review.rating,
    becameLeech: submitted.becameLeech,
    duplicate: submitted.duplicate,
    intervals,
  };
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

type Shown = { card: NonNullable<Loaded['card']>; clientReviewId: string; notice: string | null; from: string | null; aimReason: string | null; shownAt: number };

export default function Review() {
  const loaded = useLoaderData<typeof loader>();
  const answer = useFetcher<typeof action>({ key: 'review-answer' });
  const rate = useFetcher<typeof action>({ key: 'review-rate' });
  const undo = useFetcher<typeof action>({ key: 'review-undo' });
  const suspend = useFetcher<typeof action>({ key: 'review-suspend' });
  const revalidator = useRevalidator();
  // Nothing due now but a learning step later today: fetch the queue again when it comes due.
  useEffect(() => {
    if (!loaded.nextLearningAt || loaded.card) return;
    const wait = Math.max(0, Date.parse(loaded.nextLearningAt) - Date.now()) + 1_000;
    const timer = setTimeout(() => revalidator.revalidate(), Math.min(wait, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [loaded.nextLearningAt, loaded.card]); // eslint-disable-line react-hooks/exhaustive-deps
  const [shown, setShown] = useState<Shown | null>(() =>
    loaded.card && loaded.clientReviewId ? { card: loaded.card, clientReviewId: loaded.clientReviewId, notice: loaded.notice, from: loaded.from, aimReason: loaded.aimReason, shownAt: Date.now() } : null,
  );
  const [result, setResult] = useState<Extract<NonNullable<typeof answer.data>, { kind: 'graded' }> | null>(null);
  const [rating, setRating] = useState<number | null>(null);
  const nextButton = useRef<HTMLButtonElement>(null);

  // Show the loader's card unless a result is on screen: the result stays until "Next".
  // The card on screen changes only when the student moves on (Next, undo) or when none is shown:
  // the loader revalidates right after an answer is stored, and that must not replace the result.
  const advancing = useRef(false);
  const [loadingNext, setLoadingNext] = useState(false);
  useEffect(() => {
    if (shown && !advancing.current) return;
    advancing.current = false;
    setLoadingNext(false);
    setShown(loaded.card && loaded.clientReviewId ? { card: loaded.card, clientReviewId: loaded.clientReviewId, notice: loaded.notice, from: loaded.from, aimReason: loaded.aimReason, shownAt: Date.now() } : null);
  }, [loaded]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (answer.state === 'idle' && answer.data?.kind === 'graded' && answer.data.clientReviewId === shown?.clientReviewId) {
      setResult(answer.data);
      setRating(answer.data.rating);
    }
  }, [answer.state, answer.data, shown?.clientReviewId]);

  // One rating change in flight at a time: a key pressed meanwhile waits and goes after it, so the
  // last rating chosen is the one stored (a second submit would abort the first, whose request may
  // still reach the server after it).
  const waitingRating = useRef<{ clientReviewId: string; rating: number } | null>(null);
  const sendRating = (clientReviewId: string, value: number) => rate.submit({ intent: 'rate', clientReviewId, rating: String(value) }, { method: 'post' });
  useEffect(() => {
    if (rate.state !== 'idle') return;
    const waiting = waitingRating.current;
    if (waiting) {
      waitingRating.current = null;
      void sendRating(waiting.clientReviewId, waiting.rating);
      return;
    }
    if (!rate.data) return;
    if (rate.data.kind === 'rated') setRating(rate.data.rating);
    // A refused change: show the rating that is really stored.
    else if (rate.data.kind === 'invalid' && result) setRating(result.rating);
  }, [rate.state, rate.data]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (suspend.state === 'idle' && (suspend.data?.kind === 'suspended' || suspend.data?.kind === 'buried')) {
      setResult(null);
      setRating(null);
      advancing.current = true;
      setLoadingNext(true);
      revalidator.revalidate();
    }
  }, [suspend.state, suspend.data]); // eslint-disable-line react-hooks/exhaustive-deps

  // After an undo, ask for the card it brought back, so that it is the one on screen.
  const navigate = useNavigate();
  useEffect(() => {
    if (undo.state === 'idle' && undo.data?.kind === 'undone' && undo.data.itemId) {
      advancing.current = true;
      navigate(`/review?item=${encodeURIComponent(undo.data.itemId)}`, { replace: true, preventScrollReset: true });
    }
  }, [undo.state, undo.data]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (result) nextButton.current?.focus();
  }, [result]);

  const goNext = () => {
    setResult(null);
    setRating(null);
    advancing.current = true;
    setLoadingNext(true);
    revalidator.revalidate();
  };
  const chooseRating = (value: number) => {
    if (!result) return;
    setRating(value);
    if (rate.state !== 'idle') waitingRating.current = { clientReviewId: result.clientReviewId, rating: value };
    else void sendRating(result.clientReviewId, value);
    // Back to "Next", so that Space or Enter moves on rather than pressing the rating again.
    nextButton.current?.focus();
  };
  const doUndo = () => {
    setResult(null);
    setRating(null);
    advancing.current = true;
    setLoadingNext(true);
    undo.submit({ intent: 'undo' }, { method: 'post' });
  };

  // Keys: 1–4 rate, Space/Enter next (after a result), u undo. Typing in a field is left alone.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (result && /^[1-4]$/.test(e.key)) {
        e.preventDefault();
        chooseRating(Number(e.key));
      } else if (result && (e.key === ' ' || e.key === 'Enter') && target?.tagName !== 'BUTTON') {
        e.preventDefault();
        goNext();
      } else if (e.key === 'u') {
        e.preventDefault();
        doUndo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const progress = loaded.progress;
  const unread = answer.data?.kind === 'unread' && answer.state === 'idle' ? answer.data.feedback : null;
  const invalid = answer.data?.kind === 'invalid' ? answer.data.errors : null;

  return (
    <section className="review" aria-labelledby="review-title">
      <h1 id="review-title">Daily review</h1>
      <div className="progress-row">
        <progress max={Math.max(progress.total, 1)} value={progress.done} aria-label={`${progress.done} of ${countOf(progress.total, 'card')} done today`} />
        <span data-testid="progress">
          {progress.done} done · {progress.remaining} to go
        </span>
        <button type="button" className="secondary" onClick={doUndo} aria-keyshortcuts="u" title="Undo the last review, suspension or burying (u)">
          Undo
        </button>
      </div>
      {undo.data?.kind === 'undone' && undo.state === 'idle' && (undo.data.itemId === null || undo.data.itemId === shown?.card.itemId) && !result ? (
        <p role="status">{undo.data.message}</p>
      ) : null}
      {rate.data?.kind === 'invalid' && rate.state === 'idle' && result ? (
        <p className="field-error" role="alert">
          The rating was not changed: {Object.values(rate.data.errors).join('; ')}
        </p>
      ) : null}
      {loadingNext ? (
        <p role="status" className="loading">
          Loading the next card…
        </p>
      ) : !shown ? (
        <div className="done" role="status">
          <h2>{loaded.end?.title}</h2>
          <p data-testid="session-end">{loaded.end?.text}</p>
        </div>
      ) : (
        <article className="card" data-item={shown.card.itemId} data-kind={shown.card.kind} data-seed={shown.card.seed ?? ''} data-review-id={shown.clientReviewId}>
          {shown.from ? (
            <p className="notice from-quiz" data-testid="promoted-from">
              {shown.from}
            </p>
          ) : null}
          {shown.notice ? <p className="notice">{shown.notice}</p> : null}
          {shown.aimReason ? (
            <p className="notice aim-reason" data-testid="aim-reason">
              {shown.aimReason}
            </p>
          ) : null}
          {shown.card.title ? <h2 className="card-title">{shown.card.title}</h2> : null}
          <div className="prompt" dangerouslySetInnerHTML={{ __html: shown.card.promptHtml }} />
          <AnswerForm
            key={shown.clientReviewId}
            card={shown.card}
            fetcher={answer}
            hidden={{ intent: 'answer', itemId: shown.card.itemId, seed: shown.card.seed === null ? '' : String(shown.card.seed), clientReviewId: shown.clientReviewId }}
            shownAt={shown.shownAt}
            locked={result !== null}
          />
          {unread ? (
            <p className="unread" role="alert">
              {unread.join(' ')} (no attempt spent)
            </p>
          ) : null}
          {invalid ? (
            <p className="field-error" role="alert">
              {Object.values(invalid).join('; ')}
            </p>
          ) : null}
          {result ? (
            <>
              <GradedResult result={result.result} />
              {result.becameLeech ? <p className="notice">This card is now a leech: you have forgotten it 8 times. Look at its explanation again, or rewrite it in your own words.</p> : null}
              <RatingButtons suggested={result.suggestedRating} chosen={rating} intervals={result.intervals} onChoose={chooseRating} />
              <button type="button" ref={nextButton} onClick={goNext} aria-keyshortcuts="Space Enter" className="next">
                Next card
              </button>
              {result.result.spec ? <EnginePanel spec={result.result.spec} answer={result.result.answer} source={result.result.source} student={result.result} showField={shown.card.topic === "receptive-field"} report={shown.card.seed === null ? undefined : { itemId: shown.card.itemId, seed: shown.card.seed }} /> : null}
            </>
          ) : null}
          <p className="card-actions">
            <button type="button" className="secondary" onClick={() => suspend.submit({ intent: 'bury', itemId: shown.card.itemId }, { method: 'post' })} title="Leave it out until the next study day starts (u undoes)">
              Bury until tomorrow
            </button>{' '}
            <button type="button" className="secondary" onClick={() => suspend.submit({ intent: 'suspend', itemId: shown.card.itemId }, { method: 'post' })} title="Leave it out until you unsuspend it on the cards page (u undoes)">
              Suspend this card
            </button>
          </p>
        </article>
      )}
    </section>
  );
}
