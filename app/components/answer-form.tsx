import type { FetcherWithComponents } from '@remix-run/react';
import { useRef, useState } from 'react';
import { CLOZE_SEPARATOR } from '../../engine/bank/cloze-separator';
import type { PresentedCard } from '~/study.server';
import { useAnswerReading } from './answer-reading';


/**
 * The answer box of one card. A typed answer is read as it is typed ("read as 34,944"), with the
 * same reader the server grades with; Enter submits.
 */
export function AnswerForm({
  card,
  fetcher,
  hidden,
  shownAt,
  locked,
}: {
  card: PresentedCard;
  fetcher: FetcherWithComponents<unknown>;
  hidden: Record<string, string>;
  shownAt: number;
  locked: boolean;
}) {
  const [text, setText] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [blanks, setBlanks] = useState<string[]>(() => Array.from({ length: card.blanks }, () => ''));
  const [revealed, setRevealed] = useState(false);
  const duration = useRef<HTMLInputElement>(null);
  const warmed = useRef(false);
  const busy = fetcher.state !== 'idle';

  const { reading, hint } = useAnswerReading(card, text);

  const answer = card.mode === 'typed' ? text : card.mode === 'choice' ? chosen.join(',') : card.mode === 'cloze' ? blanks.join(CLOZE_SEPARATOR) : '';

  return (
    <fetcher.Form
      method="post"
      className="answer-form"
      onSubmit={() => {
        if (duration.current) duration.current.value = String(Math.max(0, Date.now() - shownAt));
      }}
    >
      {Object.entries(hidden).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <input ref={duration} type="hidden" name="durationMs" defaultValue="0" />
      {card.mode === 'typed' ? (
        <>
          <label htmlFor="answer-input">Your answer</label>
          <input
            id="answer-input"
            name="answer"
            autoFocus
            autoComplete="off"
            spellCheck={false}
            inputMode="text"
            maxLength={200}
            value={text}
            disabled={locked}
            onChange={(e) => {
              setText(e.target.value);
              // The engine panel checks a generated answer in a worker: start it (tfjs loads in ~1.5 s) while the student types.
              if (!warmed.current && (card.kind === 'generated' || card.kind === 'network')) {
                warmed.current = true;
                void import('~/engine-worker/client').then((m) => m.warmEngine()).catch(() => undefined);
              }
            }}
            aria-describedby="answer-reading"
          />
          <p id="answer-reading" className={reading && !reading.ok ? 'reading unread' : 'reading'} aria-live="polite" data-testid="reading">
            {reading ? (reading.ok ? reading.readAs : reading.reason) : hint}
          </p>
          <button type="submit" disabled={busy || locked}>
            Check
          </button>
        </>
      ) : null}
      {card.mode === 'choice' && card.options ? (
        <fieldset disabled={locked}>
          <legend>{card.multiple ? 'Choose every right option' : 'Choose one'}</legend>
          {card.options.map((o, i) => (
            <label key={o.key} className="option">
              <input
                // Like the typed and cloze boxes: the card's first control has the focus, so a new card never leaves it on the page.
                autoFocus={i === 0}
                type={card.multiple ? 'checkbox' : 'radio'}
                name="choice"
                value={o.key}
                checked={chosen.includes(o.key)}
                onChange={(e) => setChosen(card.multiple ? (e.target.checked ? [...chosen, o.key] : chosen.filter((k) => k !== o.key)) : [o.key])}
              />{' '}
              <strong>{o.key}.</strong> <span dangerouslySetInnerHTML={{ __html: o.html }} />
            </label>
          ))}
          <input type="hidden" name="answer" value={answer} />
          <button type="submit" disabled={busy || locked || chosen.length === 0}>
            Check
          </button>
        </fieldset>
      ) : null}
      {card.mode === 'cloze' ? (
        <fieldset disabled={locked}>
          <legend>Fill in the blanks</legend>
          {blanks.map((b, i) => (
            <p key={i}>
              <label htmlFor={`blank-${i}`}>Blank {i + 1}</label>{' '}
              <input id={`blank-${i}`} autoFocus={i === 0} autoComplete="off" value={b} onChange={(e) => setBlanks(blanks.map((x, j) => (j === i ? e.target.value : x)))} />
            </p>
          ))}
          <input type="hidden" name="answer" value={answer} />
          <button type="submit" disabled={busy || locked}>
            Check
          </button>
        </fieldset>
      ) : null}
      {card.mode === 'reveal' ? (
        !revealed ? (
          <button type="button" autoFocus onClick={() => setRevealed(true)}>
            Show answer
          </button>
        ) : (
          <div className="reveal">
            <div className="back" dangerouslySetInnerHTML={{ __html: card.backHtml ?? '' }} />
            {locked ? null : (
              <p>
                {/* "Show answer" is gone: the focus moves on to the first of the two answers. */}
                <button type="submit" name="answer" value="knew" disabled={busy} autoFocus>
                  I knew it
                </button>{' '}
                <button type="submit" name="answer" value="forgot" className="secondary" disabled={busy}>
                  I didn’t
                </button>
              </p>
            )}
          </div>
        )
      ) : null}
    </fetcher.Form>
  );
}
