/**
 * "Scheduler parameters" on /settings: which FSRS set schedules the student and why, the button
 * that fits their own, its progress while the optimizer works (polled, only while a run is in
 * flight), every run with the held-out evaluation that decided it, and the choice of set. Every
 * control is a plain form POST with an intent, so the section works without JavaScript.
 * The runs table, the progress line and the polling are shared with the class page's panel.
 */
import { Form, useFetcher, useRevalidator } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { countOf } from '../../engine/answers';
import type { ParameterChoice } from '../../db/schema-shared';
import type { Metrics, ParameterReply, RunView, StudentParameters } from '~/models/parameter-view.server';

export const SECTION_TEXT = {
  title: 'Scheduler parameters',
  intro:
    'FSRS schedules each card from 21 parameters. Stride can fit them to your own reviews; a fitted set replaces the one in use only when it predicts your newest reviews, held out from the fit, better.',
  fit: 'Fit my parameters now',
  fitting: 'Fitting…',
  tooFew: (reviews: number, min: number) => `You have ${countOf(reviews, 'review')}; a fit needs ${min}.`,
  inFlight: 'A fit is already under way: its result appears here when it finishes.',
  noScript: 'Reload this page to see its progress.',
  auto: 'Choose automatically',
  autoHint: 'Your newest kept fit; else, while you have too few reviews, your class’s set when it predicts you better than the defaults; else the defaults.',
  defaults: 'Use the defaults',
  defaultsHint: 'ts-fsrs’s FSRS-6 parameters, the same for everyone.',
  useRun: 'Use this set',
  current: 'Current choice',
  caption: 'Every fit, newest first. Log loss and RMSE (bins) are measured on held-out reviews the fit never saw: lower is better.',
  noRuns: 'No fits yet.',
} as const;

/** The set in use, said in a line: whose it is. */
function inUseLine(view: StudentParameters): string {
  if (view.source === 'own') return `In use: your own parameters (run ${view.runId}).`;
  if (view.source === 'class') return `In use: your class${view.className ? ` ${view.className}` : ''}’s parameters (run ${view.runId}).`;
  return 'In use: the defaults.';
}

export const fixed4 = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toFixed(4));

/**
 * The newest of the loader's view and the last polled one; while a run is queued or running, a
 * poll of `url` a second after the last answer (none otherwise). When a poll finds the run
 * finished, the page's loaders run once, so what the new set changes elsewhere on the page (the
 * workload estimate, the members' count) follows.
 */
export function usePolledView<T extends { at: number; running: RunView | null }>(initial: T, url: string): T {
  const fetcher = useFetcher<T>();
  const revalidator = useRevalidator();
  const polled = fetcher.data as T | undefined;
  const view = polled && polled.at > initial.at ? polled : initial;
  const inFlight = view.running !== null;
  useEffect(() => {
    if (!inFlight || fetcher.state !== 'idle') return;
    const timer = setTimeout(() => fetcher.load(url), 1000);
    return () => clearTimeout(timer);
  }, [inFlight, fetcher.state, polled, url]); // eslint-disable-line react-hooks/exhaustive-deps
  const finishedByPoll = polled !== undefined && polled.at > initial.at && polled.running === null;
  useEffect(() => {
    if (finishedByPoll && revalidator.state === 'idle') revalidator.revalidate();
  }, [finishedByPoll]); // eslint-disable-line react-hooks/exhaustive-deps
  return view;
}

/** The run in flight as a <progress> with its words ("fitting: 40 of 100"). */
export function FitProgress({ run, id }: { run: RunView; id: string }) {
  const counted = run.status === 'running' && run.progressTotal > 0;
  const words = run.status === 'queued' ? 'queued: waiting for the optimizer' : counted ? `fitting: ${run.progressDone} of ${run.progressTotal}` : 'fitting: reading the history';
  return (
    <p className="fit-progress" data-testid="fit-progress" data-status={run.status} data-run={run.id}>
      <label htmlFor={id}>{words}</label>{' '}
      {counted ? <progress id={id} max={run.progressTotal} value={run.progressDone} /> : <progress id={id} />}
    </p>
  );
}

/**
 * What the polite live region says: the run's state and quarters of its progress while it
 * runs (not every poll), then its outcome once it finishes in front of the reader.
 */
export function useFitAnnouncement(running: RunView | null, runs: readonly RunView[]): string {
  const watched = useRef<number | null>(null);
  if (running) watched.current = running.id;
  if (running) {
    if (running.status === 'queued') return 'Fit queued.';
    const quarter = running.progressTotal > 0 ? Math.floor((running.progressDone / running.progressTotal) * 4) * 25 : 0;
    return `Fitting: ${quarter}% done.`;
  }
  const finished = watched.current === null ? undefined : runs.find((r) => r.id === watched.current);
  if (!finished) return '';
  const { head, why } = verdictOf(finished);
  if (finished.status === 'failed') return `The fit failed${why ? `: ${why}` : '.'}`;
  return `The fit finished: ${head.toLowerCase()}${why ? `: ${why}` : '.'}`;
}

function MetricCells({ run, pick }: { run: RunView; pick: keyof Metrics }) {
  const cell = (m: Metrics | null, which: string) => (
    <td className="num" data-metric={`${which}-${pick}`}>
      {fixed4(m?.[pick])}
    </td>
  );
  return (
    <>
      {cell(run.fitted, 'fitted')}
      {cell(run.baseline, 'baseline')}
      {cell(run.defaults, 'default')}
    </>
  );
}

/** The 21 numbers of a set, w0 to w20, as a small table in a disclosure. */
export function ParameterTable({ parameters, label }: { parameters: readonly number[]; label: string }) {
  return (
    <details className="parameter-detail">
      <summary>{label}</summary>
      <table className="parameter-values">
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">Parameter</th>
            <th scope="col" className="num">
              Value
            </th>
          </tr>
        </thead>
        <tbody>
          {parameters.map((w, i) => (
            <tr key={i}>
              <th scope="row">w{i}</th>
              <td className="num">{fixed4(w)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** `reason` without a leading `head:` it may repeat ("not kept: …", "failed: …"). */
function withoutHead(head: string, reason: string): string {
  const repeated = `${head.toLowerCase()}:`;
  return reason.toLowerCase().startsWith(repeated) ? reason.slice(repeated.length).trim() : reason;
}

/** A finished run's verdict ("Kept", "Not kept", "Not fitted", "Failed") and its reason, the head said once. */
function verdictOf(run: RunView): { head: string; why: string } {
  const head = run.status === 'failed' ? 'Failed' : run.fitted ? (run.kept ? 'Kept' : 'Not kept') : 'Not fitted';
  return { head, why: withoutHead(head, run.reason ?? '') };
}

/** A run's outcome in words: the state of one in flight, a failure's error, or kept or not and why. */
function outcomeOf(run: RunView): string {
  if (run.status === 'queued') return 'Queued.';
  if (run.status === 'running') return run.progressTotal > 0 ? `Running: ${run.progressDone} of ${run.progressTotal}.` : 'Running.';
  const { head, why } = verdictOf(run);
  return why ? `${head}: ${why}` : `${head}.`;
}

function reviewsUsedOf(run: RunView): string {
  if (run.reviewsUsed === null) return '—';
  const members = run.membersUsed === null ? '' : ` from ${countOf(run.membersUsed, 'member')}`;
  const items = run.trainItems === null || run.testItems === null ? '' : ` (${run.trainItems} train / ${run.testItems} held-out items)`;
  return `${run.reviewsUsed}${members}${items}`;
}

/**
 * Every run of a student or a class. `action` renders the last column's control for a run
 * (the student's "Use this set"); `triggerName` says who pressed the button.
 */
export function RunsTable({ runs, caption, triggerName, action, testId }: { runs: readonly RunView[]; caption: string; triggerName: string; action?: (run: RunView) => React.ReactNode; testId: string }) {
  if (runs.length === 0) return <p data-testid={`${testId}-empty`}>{SECTION_TEXT.noRuns}</p>;
  return (
    <div className="runs-scroll">
      <table className="parameter-runs" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" rowSpan={2}>
              When
            </th>
            <th scope="col" rowSpan={2}>
              Started by
            </th>
            <th scope="col" rowSpan={2}>
              Reviews used
            </th>
            <th scope="colgroup" colSpan={3}>
              Log loss
            </th>
            <th scope="colgroup" colSpan={3}>
              RMSE (bins)
            </th>
            <th scope="col" rowSpan={2}>
              Result
            </th>
            <th scope="col" rowSpan={2}>
              Set
            </th>
          </tr>
          <tr>
            {['fitted', 'compared with', 'defaults', 'fitted', 'compared with', 'defaults'].map((h, i) => (
              <th scope="col" className="num" key={i}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} data-run={run.id} data-status={run.status} data-kept={String(run.kept)}>
              <td>
                <time dateTime={run.requestedAt}>{run.when}</time>
              </td>
              <td>{run.trigger === 'auto' ? 'Automatic' : triggerName}</td>
              <td className="num" data-testid="reviews-used">
                {reviewsUsedOf(run)}
              </td>
              <MetricCells run={run} pick="logLoss" />
              <MetricCells run={run} pick="rmseBins" />
              <td data-testid="run-outcome">{outcomeOf(run)}</td>
              <td>
                {run.parameters ? <ParameterTable parameters={run.parameters} label={`Run ${run.id}’s parameters`} /> : null}
                {action?.(run)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A form's answer, beside the form. */
/**
 * The "fit now" form of the student's section and of the class panel: a POST with its intent,
 * the button disabled with the reason shown beside it, and the form's reply. `idPrefix` keeps
 * the two pages' ids apart ('' and 'class-').
 */
export function FitForm({ intent, idPrefix, label, blocked, children }: { intent: string; idPrefix: string; label: string; blocked: string | null; children?: React.ReactNode }) {
  const blockedId = `${idPrefix}fit-blocked`;
  return (
    <Form method="post" className="inline-form" data-testid={`${idPrefix}fit-form`}>
      <input type="hidden" name="intent" value={intent} />
      <button type="submit" disabled={blocked !== null} aria-describedby={blocked ? blockedId : undefined}>
        {label}
      </button>
      {blocked ? (
        <span id={blockedId} className="field-hint" data-testid={blockedId}>
          {blocked}
        </span>
      ) : null}
      {children}
    </Form>
  );
}

function ReplyAt({ reply, form }: { reply: ParameterReply | undefined; form: string }) {
  if (!reply || reply.form !== form) return null;
  return (
    <span role={reply.ok ? 'status' : 'alert'} className={reply.ok ? 'notice' : 'field-error'} data-testid="parameter-reply">
      {' '}
      {reply.message}
    </span>
  );
}

function ChoiceForm({ choice, runId, label, which, current, reply }: { choice: ParameterChoice; runId?: number; label: string; which?: string; current: boolean; reply: ParameterReply | undefined }) {
  const form = choice === 'run' ? `choose-run-${runId}` : `choose-${choice}`;
  return (
    <Form method="post" className="inline" data-testid={form}>
      <input type="hidden" name="intent" value="choose" />
      <input type="hidden" name="choice" value={choice} />
      {runId !== undefined ? <input type="hidden" name="runId" value={runId} /> : null}
      <button type="submit" className="secondary small" aria-describedby={current ? `${form}-current` : undefined}>
        {label}
        {which ? <span className="visually-hidden"> {which}</span> : null}
      </button>
      {current ? (
        <strong className="current-choice" id={`${form}-current`} data-testid="current-choice">
          {' '}
          {SECTION_TEXT.current}
        </strong>
      ) : null}
      <ReplyAt reply={reply} form={form} />
    </Form>
  );
}

export function ParameterSettings({ initial, reply, pollUrl }: { initial: StudentParameters; reply: ParameterReply | undefined; pollUrl: string }) {
  const view = usePolledView(initial, pollUrl);
  const announcement = useFitAnnouncement(view.running, view.runs);
  const tooFew = view.reviews < view.minReviews;
  const blocked = tooFew ? SECTION_TEXT.tooFew(view.reviews, view.minReviews) : view.running ? SECTION_TEXT.inFlight : null;
  const isChosenRun = (run: RunView) => view.choice === 'run' && view.runId === run.id;
  // A refusal for a form this page does not show (a run that is not the asker's) is said above the choices.
  const forms = new Set(['fit', 'choose-auto', 'choose-default', ...view.runs.filter((r) => r.parameters).map((r) => `choose-run-${r.id}`), ...(view.classRun ? [`choose-run-${view.classRun.run.id}`] : [])]);
  const unplaced = reply && !forms.has(reply.form) ? reply : undefined;
  return (
    <section className="parameter-settings" aria-labelledby="parameters-title" data-testid="parameter-settings">
      <h2 id="parameters-title">{SECTION_TEXT.title}</h2>
      <p>{SECTION_TEXT.intro}</p>
      <p data-testid="parameters-in-use" data-source={view.source} data-run={view.runId ?? ''}>
        <strong>{inUseLine(view)}</strong> {view.reason}
      </p>
      <ParameterTable parameters={view.parameters} label="The set in use, w0 to w20" />

      <h3>Fit</h3>
      <p data-testid="review-count">
        {countOf(view.reviews, 'review')}; a fit needs {view.minReviews}.
      </p>
      <FitForm intent="fit" idPrefix="" label={view.running ? SECTION_TEXT.fitting : SECTION_TEXT.fit} blocked={blocked}>
        <ReplyAt reply={reply && (!reply.ok || view.running) ? reply : undefined} form="fit" />
      </FitForm>
      {view.running ? (
        <>
          <FitProgress run={view.running} id="fit-progress-bar" />
          <noscript>
            <p>{SECTION_TEXT.noScript}</p>
          </noscript>
        </>
      ) : null}
      <p role="status" aria-live="polite" data-testid="fit-announcement" className="fit-announcement">
        {announcement}
      </p>

      <h3>Which set schedules you</h3>
      {unplaced ? (
        <p role={unplaced.ok ? 'status' : 'alert'} className={unplaced.ok ? 'notice' : 'field-error'} data-testid="parameter-reply">
          {unplaced.message}
        </p>
      ) : null}
      <ul className="parameter-choices">
        <li>
          <ChoiceForm choice="auto" label={SECTION_TEXT.auto} current={view.choice === 'auto'} reply={reply} /> <span className="field-hint">{SECTION_TEXT.autoHint}</span>
        </li>
        <li>
          <ChoiceForm choice="default" label={SECTION_TEXT.defaults} current={view.choice === 'default'} reply={reply} /> <span className="field-hint">{SECTION_TEXT.defaultsHint}</span>
        </li>
        {view.classRun ? (
          <li>
            <ChoiceForm choice="run" runId={view.classRun.run.id} label={`Use your class ${view.classRun.className}’s set`} which={`(run ${view.classRun.run.id})`} current={isChosenRun(view.classRun.run)} reply={reply} />{' '}
            {view.classRun.run.parameters ? <ParameterTable parameters={view.classRun.run.parameters} label={`Run ${view.classRun.run.id}’s parameters`} /> : null}
          </li>
        ) : null}
      </ul>

      <RunsTable
        runs={view.runs}
        caption={SECTION_TEXT.caption}
        triggerName="You"
        testId="parameter-runs"
        action={(run) => (run.parameters ? <ChoiceForm choice="run" runId={run.id} label={SECTION_TEXT.useRun} which={`of run ${run.id}`} current={isChosenRun(run)} reply={reply} /> : null)}
      />
    </section>
  );
}
