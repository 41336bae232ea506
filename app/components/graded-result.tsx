import { useRef } from 'react';
import type { Diagnosis } from '../../engine/answers';
import { useFocusWhenLost } from './focus';
import { WorkedSteps } from './worked-steps/worked-steps';
import type { GradedCard } from '~/study.server';

/**
 * Right or wrong, how the answer was read, the targeted feedback and the worked explanation.
 * Every misconception that explains the answer is shown (two can give the same wrong value);
 * a result carrying only `misconception` shows that one.
 */
export function GradedResult({ result, claimFocus = true }: { result: Omit<GradedCard, 'misconceptions'> & { misconceptions?: Diagnosis[] }; claimFocus?: boolean }) {
  const misconceptions = result.misconceptions ?? (result.misconception ? [result.misconception] : []);
  // The result replaces the button that asked for it (a quiz's "Check"): the focus comes here.
  // Not on a page of many results (claimFocus false), where the page's heading takes it.
  const box = useRef<HTMLDivElement>(null);
  useFocusWhenLost(box, claimFocus);
  return (
    <div ref={box} className={result.correct ? 'result right' : 'result wrong'} role="status" data-testid="result" data-correct={String(result.correct)}>
      <p className="verdict">
        <strong>{result.correct ? '✓ Right' : '✗ Not quite'}</strong>
        {result.readAs ? <span className="read-as"> — {result.readAs}</span> : null}
      </p>
      {misconceptions.map((m, i) => (
        <p key={m.id} className="misconception" data-misconception={m.id}>
          <strong>
            {i === 0 ? 'Looks like' : 'Or'}: {m.label}.
          </strong>{' '}
          {m.explanation}
        </p>
      ))}
      {result.components ? (
        <ul className="components">
          {result.components.map((c) => (
            <li key={c.axis} className={c.ok ? 'ok' : 'bad'}>
              {c.axis}: {c.ok ? `${c.given} ✓` : `you wrote ${c.given ?? '—'}, expected ${c.expected}`}
            </li>
          ))}
        </ul>
      ) : null}
      {result.feedback.length ? (
        <ul className="feedback">
          {result.feedback.map((f, i) => (
            <li key={i}>{f}</li>
          ))}
        </ul>
      ) : null}
      <div className="answer">
        <span>Answer: </span>
        <span dangerouslySetInnerHTML={{ __html: result.answerHtml }} />
      </div>
      {result.explanationHtml ? (
        <details open className="explanation">
          <summary>Worked explanation</summary>
          <div dangerouslySetInnerHTML={{ __html: result.explanationHtml }} />
          <WorkedSteps figures={result.steps} />
        </details>
      ) : null}
    </div>
  );
}
