import { useEffect, useRef, useState } from 'react';

/** m:ss (or h:mm:ss) of a non-negative duration. */
export function clockText(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The moments a screen reader is told the time left (ms before the deadline), and what it is told. */
const MILESTONES: readonly { ms: number; text: string }[] = [
  { ms: 5 * 60_000, text: '5 minutes left' },
  { ms: 60_000, text: '1 minute left' },
  { ms: 10_000, text: '10 seconds left' },
  { ms: 0, text: 'Time is up: submitting your answers' },
];

/**
 * Time left until the server's deadline. The browser's clock may be off: the offset between
 * the server's clock at load and the browser's is taken out. Calls onExpire once, at zero.
 * The clock itself is silent (role timer: a live clock read out every second drowns everything
 * else); a status line beside it speaks at a few milestones only.
 */
export function Countdown({ deadlineMs, serverNowMs, onExpire }: { deadlineMs: number; serverNowMs: number; onExpire: () => void }) {
  const [offset] = useState(() => serverNowMs - Date.now());
  const [left, setLeft] = useState(() => deadlineMs - serverNowMs);
  const [spoken, setSpoken] = useState('');
  const expired = useRef(false);
  const expire = useRef(onExpire);
  expire.current = onExpire;
  const previous = useRef(deadlineMs - serverNowMs);

  useEffect(() => {
    const tick = () => {
      const remaining = deadlineMs - (Date.now() + offset);
      setLeft(remaining);
      // The latest milestone crossed since the last tick (none at load: the clock can be read on demand).
      const crossed = MILESTONES.filter((m) => previous.current > m.ms && remaining <= m.ms).at(-1);
      if (crossed) setSpoken(crossed.text);
      previous.current = remaining;
      if (remaining <= 0 && !expired.current) {
        expired.current = true;
        expire.current();
      }
    };
    tick();
    const timer = setInterval(tick, 250);
    return () => clearInterval(timer);
  }, [deadlineMs, offset]);

  const urgent = left < 60_000;
  return (
    <>
      <p className={urgent ? 'countdown urgent' : 'countdown'} role="timer" data-testid="countdown">
        <span className="visually-hidden">Time left: </span>
        {left > 0 ? clockText(left) : 'Time is up'}
      </p>
      <p className="visually-hidden" role="status" data-testid="countdown-alert">
        {spoken}
      </p>
    </>
  );
}
