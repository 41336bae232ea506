/** The instructor's form for an assigned quiz (create, and edit: once students started, only the window and attempts). */
import { Form } from '@remix-run/react';
import { ASSIGNMENT_TITLE_MAX, ATTEMPTS_ALLOWED, MAX_QUESTIONS, TIME_LIMIT_MINUTES, type QuizMode } from '~/quiz-limits';
import { FieldError } from '~/components/field';

export interface AssignmentValues {
  title: string;
  banks: string[];
  topics: string[];
  families: string[];
  questionCount: number;
  timeLimitMinutes: number | null;
  /** datetime-local values, on the instructor's wall clock. */
  opensAt: string;
  closesAt: string;
  attemptsAllowed: number;
  mode: QuizMode;
}

export interface AssignmentChoices {
  banks: { id: string; count: number }[];
  topics: { id: string; count: number }[];
  families: { id: string; count: number }[];
}


function Checks({ legend, name, entries, chosen, error }: { legend: string; name: string; entries: { id: string; count: number }[]; chosen: string[]; error?: string }) {
  return (
    <fieldset className="quiz-choices">
      <legend>{legend}</legend>
      {entries.length === 0 ? <p>None available.</p> : null}
      {entries.map((e) => (
        <label key={e.id} className="quiz-choice">
          <input type="checkbox" name={name} value={e.id} defaultChecked={chosen.includes(e.id)} /> {e.id} <span className="count">({e.count})</span>
        </label>
      ))}
      <FieldError id={`assignment-${name}`} message={error} />
    </fieldset>
  );
}

export function AssignmentForm({
  values,
  choices,
  errors,
  intent,
  submitLabel,
  timeZone,
  contentLocked = false,
}: {
  values: AssignmentValues;
  choices: AssignmentChoices;
  errors: Record<string, string>;
  intent: string;
  submitLabel: string;
  timeZone: string;
  contentLocked?: boolean;
}) {
  const invalid = (name: string) => (errors[name] ? { 'aria-invalid': true as const, 'aria-describedby': `assignment-${name}-error` } : {});
  return (
    <Form method="post" className="quiz-form assignment-form" aria-label={submitLabel}>
      <input type="hidden" name="intent" value={intent} />
      {contentLocked ? (
        <>
          <p className="notice">Students have started this quiz: only its window and attempts can change.</p>
          <input type="hidden" name="title" value={values.title} />
          {values.banks.map((b) => (
            <input key={`b-${b}`} type="hidden" name="banks" value={b} />
          ))}
          {values.topics.map((b) => (
            <input key={`t-${b}`} type="hidden" name="topics" value={b} />
          ))}
          {values.families.map((b) => (
            <input key={`f-${b}`} type="hidden" name="families" value={b} />
          ))}
          <input type="hidden" name="questionCount" value={values.questionCount} />
          <input type="hidden" name="timeLimitMinutes" value={values.timeLimitMinutes ?? ''} />
          <input type="hidden" name="mode" value={values.mode} />
        </>
      ) : (
        <>
          <p className="field">
            <label htmlFor="assignment-title">Title</label>
            <br />
            <input id="assignment-title" name="title" required maxLength={ASSIGNMENT_TITLE_MAX} defaultValue={values.title} {...invalid('title')} />
            <FieldError id="assignment-title" message={errors.title} />
          </p>
          <p>Scope: the class’s banks (none ticked: all of them), and of those the questions of the ticked topics or families (none ticked: all).</p>
          <Checks legend="Banks" name="banks" entries={choices.banks} chosen={values.banks} error={errors.banks} />
          <Checks legend="Topics" name="topics" entries={choices.topics} chosen={values.topics} error={errors.topics} />
          <Checks legend="Families" name="families" entries={choices.families} chosen={values.families} error={errors.families} />
          <FieldError id="assignment-scope" message={errors.scope} />
          <p className="field">
            <label htmlFor="assignment-questionCount">Number of questions (each student draws their own)</label>
            <br />
            <input id="assignment-questionCount" name="questionCount" type="number" min={1} max={MAX_QUESTIONS} step={1} required defaultValue={values.questionCount} {...invalid('questionCount')} />
            <FieldError id="assignment-questionCount" message={errors.questionCount} />
          </p>
          <p className="field">
            <label htmlFor="assignment-timeLimitMinutes">Time limit in minutes (empty: none; the quiz then ends when it closes)</label>
            <br />
            <input
              id="assignment-timeLimitMinutes"
              name="timeLimitMinutes"
              type="number"
              min={TIME_LIMIT_MINUTES.min}
              max={TIME_LIMIT_MINUTES.max}
              step="any"
              placeholder="none"
              defaultValue={values.timeLimitMinutes ?? ''}
              {...invalid('timeLimitMinutes')}
            />
            <FieldError id="assignment-timeLimitMinutes" message={errors.timeLimitMinutes} />
          </p>
          <fieldset className="quiz-mode">
            <legend>Mode</legend>
            <label>
              <input type="radio" name="mode" value="exam" defaultChecked={values.mode === 'exam'} /> exam: results after submission, correct answers once the quiz has closed for everyone
            </label>
            <br />
            <label>
              <input type="radio" name="mode" value="practice" defaultChecked={values.mode === 'practice'} /> practice: each answer can be checked as it goes
            </label>
            <FieldError id="assignment-mode" message={errors.mode} />
          </fieldset>
        </>
      )}
      <p className="field">
        <label htmlFor="assignment-opensAt">Opens ({timeZone})</label>
        <br />
        <input id="assignment-opensAt" name="opensAt" type="datetime-local" required defaultValue={values.opensAt} {...invalid('opensAt')} />
        <FieldError id="assignment-opensAt" message={errors.opensAt} />
      </p>
      <p className="field">
        <label htmlFor="assignment-closesAt">Closes ({timeZone}): an attempt still running then ends</label>
        <br />
        <input id="assignment-closesAt" name="closesAt" type="datetime-local" required defaultValue={values.closesAt} {...invalid('closesAt')} />
        <FieldError id="assignment-closesAt" message={errors.closesAt} />
      </p>
      <p className="field">
        <label htmlFor="assignment-attemptsAllowed">
          Attempts per student ({ATTEMPTS_ALLOWED.min} to {ATTEMPTS_ALLOWED.max}; an abandoned attempt counts)
        </label>
        <br />
        <input id="assignment-attemptsAllowed" name="attemptsAllowed" type="number" min={ATTEMPTS_ALLOWED.min} max={ATTEMPTS_ALLOWED.max} step={1} required defaultValue={values.attemptsAllowed} {...invalid('attemptsAllowed')} />
        <FieldError id="assignment-attemptsAllowed" message={errors.attemptsAllowed} />
      </p>
      {errors.form ? (
        <p className="field-error" role="alert">
          {errors.form}
        </p>
      ) : null}
      <button type="submit" data-testid={`${intent}-assignment`}>
        {submitLabel}
      </button>
    </Form>
  );
}
