import { FieldError } from '~/components/field';

/** A quiz's mode, as the builder and an exam's practice form offer it (the `mode` field). */
export function QuizModeChoice({ id, error }: { id: string; error?: string | undefined }) {
  return (
    <fieldset className="quiz-mode">
      <legend>Mode</legend>
      <label>
        <input type="radio" name="mode" value="exam" defaultChecked /> exam: results at the end
      </label>
      <br />
      <label>
        <input type="radio" name="mode" value="practice" /> practice: check each answer as you go
      </label>
      <FieldError id={id} message={error} />
    </fieldset>
  );
}
