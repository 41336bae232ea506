/** The question numbers, each marked answered and/or flagged; the current one is pressed. */
export function QuestionNav({
  count,
  current,
  answered,
  flagged,
  onGo,
}: {
  count: number;
  current: number;
  answered: (position: number) => boolean;
  flagged: (position: number) => boolean;
  onGo: (position: number) => void;
}) {
  return (
    <nav className="quiz-nav" aria-label="Questions">
      <ol>
        {Array.from({ length: count }, (_, i) => {
          const marks = [answered(i) ? 'answered' : 'not answered', flagged(i) ? 'flagged' : null].filter(Boolean).join(', ');
          return (
            <li key={i}>
              <button
                type="button"
                className={['quiz-nav-item', answered(i) ? 'answered' : '', flagged(i) ? 'flagged' : '', i === current ? 'current' : ''].join(' ').trim()}
                aria-current={i === current ? 'step' : undefined}
                aria-label={`Question ${i + 1}, ${marks}`}
                data-testid={`nav-${i + 1}`}
                onClick={() => onGo(i)}
              >
                {i + 1}
                {flagged(i) ? <span aria-hidden="true">⚑</span> : null}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
