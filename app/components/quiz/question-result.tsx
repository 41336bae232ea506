import { GradedResult } from '~/components/graded-result';
import type { QuestionResult as Result } from '~/models/quiz.server';
import { clockText } from './countdown';

/** One question of a submitted attempt: the prompt, the answer as read, and the worked answer. */
export function QuestionResult({ question }: { question: Result }) {
  const verdict = !question.answered ? 'unanswered' : question.graded.correct ? 'right' : 'wrong';
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
      <div className="prompt" dangerouslySetInnerHTML={{ __html: question.promptHtml }} />
      {question.answered ? (
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
            </details>
          ) : null}
        </div>
      )}
    </article>
  );
}
