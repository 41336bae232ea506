import { CLOZE_SEPARATOR } from '../../../engine/bank/cloze-separator';
import type { PresentedCard } from '~/study.server';
import { useAnswerReading } from '../answer-reading';

/** Whether a raw answer says anything: an empty box, no option and all-blank clozes do not. */
export function isAnswered(raw: string): boolean {
  return raw.split(CLOZE_SEPARATOR).some((part) => part.trim() !== '');
}

/**
 * The answer box of one quiz question, controlled by the raw answer the grader takes: typed
 * text (read live, with the reader the server grades with), option keys joined by commas, or
 * the blanks of a cloze joined by U+241F.
 */
export function QuestionInput({ card, value, onChange, locked }: { card: PresentedCard; value: string; onChange: (raw: string) => void; locked: boolean }) {
  const { reading, hint } = useAnswerReading(card, value);
  const id = `quiz-answer-${card.itemId}`;

  if (card.mode === 'choice' && card.options) {
    const chosen = value.split(',').filter(Boolean);
    return (
      <fieldset className="quiz-input" disabled={locked}>
        <legend>{card.multiple ? 'Choose every right option' : 'Choose one'}</legend>
        {card.options.map((o) => (
          <label key={o.key} className="option">
            <input
              type={card.multiple ? 'checkbox' : 'radio'}
              name={`choice-${card.itemId}`}
              value={o.key}
              data-testid={`option-${o.key}`}
              checked={chosen.includes(o.key)}
              onChange={(e) => onChange((card.multiple ? (e.target.checked ? [...chosen, o.key] : chosen.filter((k) => k !== o.key)) : [o.key]).sort().join(','))}
            />{' '}
            <strong>{o.key}.</strong> <span dangerouslySetInnerHTML={{ __html: o.html }} />
          </label>
        ))}
      </fieldset>
    );
  }
  if (card.mode === 'cloze') {
    const blanks = Array.from({ length: card.blanks }, (_, i) => value.split(CLOZE_SEPARATOR)[i] ?? '');
    return (
      <fieldset className="quiz-input" disabled={locked}>
        <legend>Fill in the blanks</legend>
        {blanks.map((b, i) => (
          <p key={i}>
            <label htmlFor={`${id}-${i}`}>Blank {i + 1}</label>{' '}
            <input id={`${id}-${i}`} data-testid={`blank-${i}`} autoComplete="off" value={b} onChange={(e) => onChange(blanks.map((x, j) => (j === i ? e.target.value : x)).join(CLOZE_SEPARATOR))} />
          </p>
        ))}
      </fieldset>
    );
  }
  return (
    <div className="quiz-input">
      <label htmlFor={id}>Your answer</label>
      <input
        id={id}
        data-testid="typed-answer"
        autoComplete="off"
        spellCheck={false}
        maxLength={200}
        value={value}
        disabled={locked}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={`${id}-reading`}
      />
      <p id={`${id}-reading`} className={reading && !reading.ok ? 'reading unread' : 'reading'} aria-live="polite">
        {reading ? (reading.ok ? reading.readAs : reading.reason) : hint}
      </p>
    </div>
  );
}
