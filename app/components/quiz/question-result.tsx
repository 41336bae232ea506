import { GradedResult } from '~/components/graded-result';
import { WorkedSteps } from '~/components/worked-steps/worked-steps';
import type { QuestionResult as Result } from '~/models/quiz.server';
import { REGRADE_TEXT } from '~/quiz-limits';
import { clockText } from './countdown';

/** One question of a submitted attempt: the prompt, the answer as read, and the worked answer (held back while an assigned exam is open for someone). */
export function QuestionResult({ question, answersHidden = false }: { question: Result; answersHidden?: boolean }) {
  const verdict = !question.counted ? 'dropped' : !question.answered ? 'unanswered' : question.correct ? 'right' : 'wrong';
  return (
    <article className={`quiz-result-question ${verdict}`} data-testid={`result-${question.position + 1}`} data-verdict={verdict} data-item={question.itemId}>
      <header>
        <h3>
          Question {question.position + 1}
          {question.title ? ` · ${question.title}` : ''}
        </h3>
        <span className="meta">
          {question.topic} · {clockText(question.timeMs)} spent{question.flagged ? ' · ⚑ flagged' : ''}
        </span>
      </header>
      {question.regrade ? (
        <p className="notice" data-testid="regrade-note">
          Regraded by your instructor ({question.regrade.action}: {REGRADE_TEXT[question.regrade.action]}): {question.regrade.reason}
        </p>
      ) : null}
      <div className="prompt" dangerouslySetInnerHTML={{ __html: question.promptHtml }} />
      {answersHidden ? (
        <div className={question.correct ? 'result right' : 'result wrong'} role="status" data-testid="result" data-correct={String(question.correct)}>
          <p className="verdict">
            <strong>{!question.answered ? 'Not answered' : question.correct ? '✓ Right' : '✗ Not quite'}</strong>
            {question.answered && question.graded.readAs ? <span className="read-as"> — {question.graded.readAs}</span> : null}
          </p>
        </div>
      ) : question.answered ? (
        <GradedResult result={question.graded} claimFocus={false} />
      ) : (
        <div className="result wrong" role="status" data-testid="result" data-correct="false">
          <p className="verdict">
            <strong>Not answered</strong>
          </p>
          <div className="answer">
            <span>Answer: </span>
            <span dangerouslySetInnerHTML={{ __html: question.graded.answerHtml }} />
          </div>
          {question.graded.explanationHtml ? (
            <details open className="explanation">
              <summary>Worked explanation</summary>
              <div dangerouslySetInnerHTML={{ __html: question.graded.explanationHtml }} />
              <WorkedSteps figures={question.graded.steps} />
            </details>
          ) : null}
        </div>
      )}
    </article>
  );
}
