import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import { Field } from '~/components/field';
import { ParameterSettings } from '~/components/parameter-settings';
import { STUDENT_PARAMETER_INTENTS, studentParameterAction, studentParameters } from '~/models/parameter-view.server';
import { countOf } from '../../engine/answers';
import { formOf, getStudySettings, saveStudySettings, timeZoneChoices, workloadEstimate } from '~/models/settings.server';
import { SETTINGS_BOUNDS, SETTINGS_FIELDS, type StudySettingsForm } from '~/study-settings';
import { assertSameOrigin, requireUser } from '~/session.server';

export const meta: MetaFunction = () => [{ title: 'Study settings — Stride' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const settings = await getStudySettings({ userId: user.id });
  const now = new Date();
  // Read first: just after "Fit my parameters now", the run is still in flight when this is read.
  const parameters = await studentParameters({ userId: user.id, timeZone: user.timeZone, now });
  const estimate = await workloadEstimate({ userId: user.id, now });
  return { form: formOf(settings), reviewsPerDay: settings.reviewsPerDay, desiredRetention: settings.desiredRetention, zones: timeZoneChoices(settings.timeZone), estimate, parameters };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireUser(request);
  const form = await request.formData();
  // The scheduler-parameter section's forms carry an intent; the study-settings form none.
  if (STUDENT_PARAMETER_INTENTS.includes(String(form.get('intent')))) {
    const reply = await studentParameterAction({ userId: user.id, form, now: new Date() });
    return data(reply, { status: reply.ok ? 200 : 400 });
  }
  const outcome = await saveStudySettings({ userId: user.id, form });
  if (!outcome.ok) return data({ ok: false as const, errors: outcome.errors, form: outcome.form }, { status: 400 });
  return { ok: true as const, errors: {} as Record<string, string>, form: formOf(outcome.settings) };
}

const FIELD_ORDER = Object.keys(SETTINGS_FIELDS) as (keyof StudySettingsForm)[];

/**
 * The expected reviews a day at a retention being typed: the table's own row, or a straight line
 * between the two rows around it (the estimate is rough; the table is what was simulated).
 */
function reviewsAt(rows: readonly { desiredRetention: number; reviewsPerDay: number }[], r: number): { perDay: number; between: boolean } | null {
  const exact = rows.find((x) => Math.abs(x.desiredRetention - r) < 1e-9);
  if (exact) return { perDay: exact.reviewsPerDay, between: false };
  const upper = rows.findIndex((x) => x.desiredRetention > r);
  if (upper <= 0) return null;
  const a = rows[upper - 1]!;
  const b = rows[upper]!;
  return { perDay: a.reviewsPerDay + ((r - a.desiredRetention) / (b.desiredRetention - a.desiredRetention)) * (b.reviewsPerDay - a.reviewsPerDay), between: true };
}

/** Reviews a day as the table says them: whole numbers, one decimal under 10. */
function perDay(n: number): string {
  return n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en');
}

export default function Settings() {
  const loaded = useLoaderData<typeof loader>();
  const replied = useActionData<typeof action>();
  const parameterReply = replied && 'section' in replied ? replied : undefined;
  const result = replied && !('section' in replied) ? replied : undefined;
  const navigation = useNavigation();
  // "Saving…" for this form's own submission, not for a parameter button's (those carry an intent).
  const saving = navigation.state === 'submitting' && !navigation.formData?.has('intent');
  const errors: Record<string, string> = result && !result.ok ? result.errors : {};
  const values: StudySettingsForm = result && !result.ok ? result.form : loaded.form;
  const formRef = useRef<HTMLFormElement>(null);

  // A refused save: the first field in error takes the focus, its message read with it.
  useEffect(() => {
    if (!result || result.ok) return;
    const first = FIELD_ORDER.find((k) => errors[k]);
    if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  }, [result]); // eslint-disable-line react-hooks/exhaustive-deps

  const { estimate } = loaded;
  const own = estimate.rows.find((r) => r.desiredRetention === loaded.desiredRetention);
  // The retention as it is being typed, so the estimate beside it follows before saving.
  const [typedRetention, setTypedRetention] = useState(values.desiredRetention);
  useEffect(() => setTypedRetention(values.desiredRetention), [values.desiredRetention]);
  const typed = Number(typedRetention);
  const atTyped = typedRetention.trim() !== '' && Number.isFinite(typed) ? reviewsAt(estimate.rows, typed) : null;
  const error = (k: keyof StudySettingsForm) => (errors[k] ? { error: errors[k] } : {});
  const b = SETTINGS_BOUNDS;
  /** What every whole-number field shares: its name and label, its bounds, its value and its error. */
  const wholeNumber = (name: 'newPerDay' | 'reviewsPerDay' | 'rolloverHour' | 'maxIntervalDays') =>
    ({ name, label: SETTINGS_FIELDS[name], type: 'number', inputMode: 'numeric', min: b[name].min, max: b[name].max, step: 1, required: true, defaultValue: values[name], ...error(name) }) as const;

  return (
    <section className="settings" aria-labelledby="settings-title">
      <h1 id="settings-title">Study settings</h1>
      <p>
        Which banks you study: <Link to="/subscriptions">What I study</Link>. Every card you have, to find, suspend or reset: <Link to="/cards">My cards</Link>.
      </p>
      {result?.ok && navigation.state === 'idle' ? (
        <p role="status" className="notice" data-testid="settings-saved">
          Settings saved. They apply from your next card.
        </p>
      ) : null}
      {result && !result.ok ? (
        <p role="alert" className="field-error" data-testid="settings-refused">
          Nothing was saved: {Object.keys(errors).length === 1 ? 'one field needs' : `${Object.keys(errors).length} fields need`} changing (see below).
        </p>
      ) : null}
      {/* Remounted when the saved values change, so the fields show them as stored ("1m, 10m" becomes "1m 10m"). */}
      <Form method="post" ref={formRef} key={JSON.stringify(loaded.form)} className="settings-form">
        <fieldset>
          <legend>How much a day</legend>
          <Field {...wholeNumber('newPerDay')} hint={`0 to ${b.newPerDay.max}.`} />
          <Field {...wholeNumber('reviewsPerDay')} hint={`At least as many as new cards, up to ${b.reviewsPerDay.max}: due reviews beyond it wait for the next day.`} />
        </fieldset>
        <fieldset>
          <legend>Memory</legend>
          <Field
            name="desiredRetention"
            label={SETTINGS_FIELDS.desiredRetention}
            type="number"
            inputMode="decimal"
            min={b.desiredRetention.min}
            max={b.desiredRetention.max}
            step={0.01}
            required
            defaultValue={values.desiredRetention}
            onChange={(e) => setTypedRetention(e.currentTarget.value)}
            hint={
              <span data-testid="retention-estimate">
                From {b.desiredRetention.min.toFixed(2)} to {b.desiredRetention.max.toFixed(2)}: the share of cards you should still recall when they come due.
                {atTyped ? ` At ${typedRetention.trim()}, expect about ${perDay(atTyped.perDay)} reviews a day${atTyped.between ? ' (between the rows below)' : ''}.` : ''}
              </span>
            }
            {...error('desiredRetention')}
          />
          <table className="workload" data-testid="workload">
            <caption>Expected reviews a day over the next {countOf(estimate.days, 'day')}</caption>
            <thead>
              <tr>
                <th scope="col">Desired retention</th>
                <th scope="col" className="num">
                  Reviews a day
                </th>
              </tr>
            </thead>
            <tbody>
              {estimate.rows.map((r) => {
                const yours = r.desiredRetention === loaded.desiredRetention;
                return (
                  <tr key={r.desiredRetention} data-retention={r.desiredRetention} data-reviews={r.reviewsPerDay} className={yours ? 'yours' : undefined}>
                    <th scope="row">
                      {r.desiredRetention.toFixed(2)}
                      {yours ? ' (yours)' : ''}
                    </th>
                    <td className="num">{perDay(r.reviewsPerDay)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="field-hint" data-testid="workload-method">
            {estimate.cards === 0
              ? `You have no cards yet, so this rests only on your ${countOf(estimate.newPerDay, 'new card')} a day, each first answer right ${Math.round(estimate.firstAnswerRight * 100)}% of the time, then each later one as likely as FSRS predicts.`
              : `Estimated by simulating your ${countOf(estimate.cards, 'card')} and ${countOf(estimate.newPerDay, 'new card')} a day with FSRS for ${countOf(estimate.days, 'day')}, each answer right as often as FSRS predicts (a new card's first, ${Math.round(estimate.firstAnswerRight * 100)}%), not capped by your limits.`}
            {own && own.reviewsPerDay > loaded.reviewsPerDay ? ` That is more than your maximum of ${loaded.reviewsPerDay} a day: the rest would wait.` : ''}
          </p>
          <Field {...wholeNumber('maxIntervalDays')} hint={`The longest a card waits, 1 to ${b.maxIntervalDays.max} (100 years).`} />
        </fieldset>
        <fieldset>
          <legend>Steps</legend>
          <Field name="learningSteps" label={SETTINGS_FIELDS.learningSteps} type="text" spellCheck={false} autoComplete="off" defaultValue={values.learningSteps} hint='Waits before a new card comes back, such as "1m 10m": a number and m, h or d each, spaces between; empty for none.' {...error('learningSteps')} />
          <Field name="relearningSteps" label={SETTINGS_FIELDS.relearningSteps} type="text" spellCheck={false} autoComplete="off" defaultValue={values.relearningSteps} hint='The same after a card is forgotten, such as "10m".' {...error('relearningSteps')} />
        </fieldset>
        <fieldset>
          <legend>Your day</legend>
          <Field {...wholeNumber('rolloverHour')} hint="0 to 23: at 4, a session after midnight still counts for the evening before." />
          <p className="field">
            <label htmlFor="field-timeZone">{SETTINGS_FIELDS.timeZone}</label>
            <br />
            <select id="field-timeZone" name="timeZone" defaultValue={values.timeZone} aria-invalid={errors.timeZone ? true : undefined} aria-describedby={errors.timeZone ? 'field-timeZone-error' : undefined}>
              {(loaded.zones.includes(values.timeZone) ? loaded.zones : [values.timeZone, ...loaded.zones]).map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
            {errors.timeZone ? (
              <span id="field-timeZone-error" className="field-error" role="alert">
                {' '}
                {errors.timeZone}
              </span>
            ) : null}
          </p>
        </fieldset>
        <button type="submit" disabled={saving}>
          {saving ? 'Saving…' : 'Save settings'}
        </button>
      </Form>
      <ParameterSettings initial={loaded.parameters} reply={parameterReply} pollUrl="/settings/parameters" />
    </section>
  );
}
