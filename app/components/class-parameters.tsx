/**
 * The class page's "Class parameters" panel for its instructor: the class's optimizer runs (the
 * members' histories pooled), a button that fits them now, and which members the class's set
 * schedules and why (their own words from the settings page).
 */
import { countOf } from '../../engine/answers';
import type { ClassParameters } from '~/models/parameter-view.server';
import { FitForm, FitProgress, RunsTable, useFitAnnouncement, usePolledView } from './parameter-settings';

export const CLASS_SECTION_TEXT = {
  title: 'Class parameters',
  intro:
    'A class set is fitted on the members’ pooled reviews. A member with fewer of their own than a fit needs is scheduled with it, when it predicts their reviews (and the held-out members’) better than the defaults.',
  fit: 'Fit the class’s parameters now',
  fitting: 'Fitting…',
  tooFew: (reviews: number, min: number) => `The members have ${countOf(reviews, 'review')} between them; a fit needs ${min}.`,
  inFlight: 'A fit is already under way: its result appears here when it finishes.',
  caption: 'Every fit of the class’s parameters, newest first. Log loss and RMSE (bins) are measured on held-out reviews the fit never saw: lower is better.',
  sources: { class: 'the class’s set', own: 'their own set', 'other-class': 'another class’s set', default: 'the defaults' },
} as const;

export function ClassParametersPanel({ initial, reply, pollUrl }: { initial: ClassParameters; reply: { ok: boolean; message: string } | undefined; pollUrl: string }) {
  const view = usePolledView(initial, pollUrl);
  const announcement = useFitAnnouncement(view.running, view.runs);
  const blocked = view.pooledReviews < view.minReviews ? CLASS_SECTION_TEXT.tooFew(view.pooledReviews, view.minReviews) : view.running ? CLASS_SECTION_TEXT.inFlight : null;
  const onClassSet = view.members.filter((m) => m.source === 'class');
  return (
    <section className="class-parameters" aria-labelledby="class-parameters-title" data-testid="class-parameters">
      <h2 id="class-parameters-title">{CLASS_SECTION_TEXT.title}</h2>
      <p>{CLASS_SECTION_TEXT.intro}</p>
      <p data-testid="class-pooled">
        {countOf(view.pooledReviews, 'review')} from {countOf(view.members.length, 'member')}; a fit needs {view.minReviews}.
      </p>
      <FitForm intent="fit-parameters" idPrefix="class-" label={view.running ? CLASS_SECTION_TEXT.fitting : CLASS_SECTION_TEXT.fit} blocked={blocked}>
        {reply && (!reply.ok || view.running) ? (
          <span role={reply.ok ? 'status' : 'alert'} className={reply.ok ? 'notice' : 'field-error'} data-testid="class-fit-reply">
            {' '}
            {reply.message}
          </span>
        ) : null}
      </FitForm>
      {view.running ? <FitProgress run={view.running} id="class-fit-progress-bar" /> : null}
      <p role="status" aria-live="polite" className="fit-announcement">
        {announcement}
      </p>
      <p data-testid="class-set-members" data-count={onClassSet.length}>
        {countOf(onClassSet.length, 'member')} of {view.members.length} scheduled with the class’s set.
      </p>
      {view.members.length ? (
        <details>
          <summary>Which set schedules each member, and why</summary>
          <ul data-testid="member-parameters">
            {view.members.map((m) => (
              <li key={m.id} data-member={m.id} data-source={m.source}>
                {m.displayName} ({countOf(m.reviews, 'review')}): {CLASS_SECTION_TEXT.sources[m.source]}. {m.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <RunsTable runs={view.runs} caption={CLASS_SECTION_TEXT.caption} triggerName="Instructor" testId="class-runs" />
    </section>
  );
}
