import type { BankError } from '../../../engine/bank/parse';
import { countOf } from '../../../engine/answers';

/** A YAML syntax error's path carries its position (`bank.yaml:10:5`); the list shows the position once, beside it. */
function shownPath(e: BankError): string {
  return e.line !== undefined ? e.path.replace(new RegExp(`:${e.line}:${e.column ?? 1}$`), '') : e.path;
}

/**
 * A bank's errors, each at its path and (where known) line:column. With `onGoTo` each position
 * is a button that moves the editor's cursor there.
 */
export function BankErrorList({ errors, onGoTo }: { errors: readonly BankError[]; onGoTo?: (line: number, column: number) => void }) {
  if (errors.length === 0) return null;
  return (
    <div className="bank-errors" role="alert" data-testid="bank-errors">
      <p>
        <strong>
          {countOf(errors.length, 'error')}
        </strong>
        : nothing was saved.
      </p>
      <ul>
        {errors.map((e, i) => (
          <li key={i} data-path={e.path} data-line={e.line ?? ''}>
            <code className="error-path">{shownPath(e)}</code>
            {e.line !== undefined ? (
              onGoTo ? (
                <button type="button" className="link" onClick={() => onGoTo(e.line!, e.column ?? 1)}>
                  line {e.line}:{e.column ?? 1}
                </button>
              ) : (
                <span className="error-pos">
                  {' '}
                  line {e.line}:{e.column ?? 1}
                </span>
              )
            ) : null}{' '}
            — {e.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
