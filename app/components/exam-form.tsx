import { Form } from '@remix-run/react';
import { Field } from '~/components/field';
import { EXAM_TARGET, EXAM_TITLE_MAX } from '~/exams/limits';
import type { ExamScope } from '~/exams/scope';
import type { ExamScopeOptions } from '~/models/exam.server';
import { FieldError } from '~/components/field';

/** What the form shows in its fields: an exam's values, or what was typed before a refusal. */
export interface ExamFormValues {
  title: string;
  date: string;
  time: string;
  timeZone: string;
  target: string;
  scope: ExamScope;
}

/** The values of a form that came back refused: what was sent, so nothing typed is lost. */
export function examFormValuesOf(form: FormData, fallback: ExamFormValues): ExamFormValues {
  const one = (name: string, d: string) => {
    const v = form.get(name);
    return typeof v === 'string' ? v : d;
  };
  const list = (name: string) => form.getAll(name).filter((v): v is string => typeof v === 'string');
  return {
    title: one('title', fallback.title),
    date: one('date', fallback.date),
    time: one('time', fallback.time),
    timeZone: one('timeZone', fallback.timeZone),
    target: one('target', fallback.target),
    scope: { banks: list('banks'), topics: list('topics'), families: list('families') },
  };
}

/**
 * The exam form, for a new exam and for changing one: title, date and time in a zone, target
 * recall, and the scope's checkboxes (with their item counts). `forClass` is the class a new
 * exam is for (a hidden field; its refusal shows beside it). Each refusal is shown at its field.
 */
export function ExamForm({
  intent,
  submitLabel,
  values,
  options,
  zones,
  errors,
  forClass,
  busy,
}: {
  intent: string;
  submitLabel: string;
  values: ExamFormValues;
  options: ExamScopeOptions;
  zones: string[];
  errors: Record<string, string>;
  forClass?: { id: number | null; label: string };
  busy?: boolean;
}) {
  const prefix = `exam-${intent}`;
  const checked = (list: string[], v: string) => list.includes(v);
  return (
    <Form method="post" className="quiz-form exam-form" aria-label={submitLabel} aria-describedby={errors.form ? `${prefix}-form-error` : undefined}>
      <input type="hidden" name="intent" value={intent} />
      {forClass ? (
        <p className="field" data-testid="exam-for">
          <input type="hidden" name="classId" value={forClass.id ?? ''} />
          For: <strong>{forClass.label}</strong>
          {errors.classId ? <FieldError id={`${prefix}-class`} message={errors.classId} /> : null}
        </p>
      ) : null}
      <Field name="title" label="Title" defaultValue={values.title} required maxLength={EXAM_TITLE_MAX} error={errors.title} />
      <p className="field">
        <label htmlFor={`${prefix}-date`}>Date</label>
        <br />
        <input id={`${prefix}-date`} name="date" type="date" required defaultValue={values.date} aria-invalid={errors.date ? true : undefined} aria-describedby={errors.date ? `${prefix}-date-error` : undefined} />
        {errors.date ? <FieldError id={`${prefix}-date`} message={errors.date} /> : null}
      </p>
      <p className="field">
        <label htmlFor={`${prefix}-time`}>Time</label>
        <br />
        <input id={`${prefix}-time`} name="time" type="time" required defaultValue={values.time} aria-invalid={errors.time ? true : undefined} aria-describedby={errors.time ? `${prefix}-time-error` : undefined} />
        {errors.time ? <FieldError id={`${prefix}-time`} message={errors.time} /> : null}
      </p>
      <p className="field">
        <label htmlFor={`${prefix}-zone`}>Time zone (the date and time are read there)</label>
        <br />
        <select id={`${prefix}-zone`} name="timeZone" defaultValue={values.timeZone} aria-invalid={errors.timeZone ? true : undefined} aria-describedby={errors.timeZone ? `${prefix}-zone-error` : undefined}>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
        {errors.timeZone ? <FieldError id={`${prefix}-zone`} message={errors.timeZone} /> : null}
      </p>
      <p className="field">
        <label htmlFor={`${prefix}-target`}>
          Target recall on the day, {EXAM_TARGET.min.toFixed(2)} to {EXAM_TARGET.max.toFixed(2)}
        </label>
        <br />
        <input
          id={`${prefix}-target`}
          name="target"
          type="number"
          min={EXAM_TARGET.min}
          max={EXAM_TARGET.max}
          step={0.01}
          required
          defaultValue={values.target}
          aria-invalid={errors.target ? true : undefined}
          aria-describedby={errors.target ? `${prefix}-target-error` : undefined}
        />
        {errors.target ? <FieldError id={`${prefix}-target`} message={errors.target} /> : null}
      </p>
      <fieldset aria-describedby={errors.scope ? `${prefix}-scope-error` : undefined}>
        <legend>What it covers (an item counts when it is in a chosen bank — any, if none is chosen — and of a chosen topic or family)</legend>
        <Choices legend="Banks" name="banks" entries={options.banks.map((b) => ({ value: b.id, label: b.title, count: b.count, checked: checked(values.scope.banks, b.id) }))} />
        <Choices legend="Topics" name="topics" entries={options.topics.map((t) => ({ value: t.topic, label: t.topic, count: t.count, checked: checked(values.scope.topics, t.topic) }))} />
        <Choices legend="Families" name="families" entries={options.families.map((f) => ({ value: f.family, label: f.title, count: f.count, checked: checked(values.scope.families, f.family) }))} />
        {errors.scope ? <FieldError id={`${prefix}-scope`} message={errors.scope} /> : null}
      </fieldset>
      {errors.form ? (
        <p id={`${prefix}-form-error`} className="field-error" role="alert">
          {errors.form}
        </p>
      ) : null}
      <button type="submit" disabled={busy} data-testid={`${intent}-exam`}>
        {submitLabel}
      </button>
    </Form>
  );
}

function Choices({ legend, name, entries }: { legend: string; name: string; entries: { value: string; label: string; count: number; checked: boolean }[] }) {
  return (
    <fieldset className="quiz-choices">
      <legend>{legend}</legend>
      {entries.length === 0 ? <p>None available.</p> : null}
      {entries.map((e) => (
        <label key={e.value} className="quiz-choice">
          <input type="checkbox" name={name} value={e.value} defaultChecked={e.checked} /> {e.label} <span className="count">({e.count})</span>
        </label>
      ))}
    </fieldset>
  );
}

