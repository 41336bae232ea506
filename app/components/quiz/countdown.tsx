import { useEffect, useRef, useState } from 'react';

/** m:ss (or h:mm:ss) of a non-negative duration. */
export function clockText(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * Time left until the server's deadline. The browser's clock may be off: the offset between
 * the server's clock at load and the browser's is taken out. Calls onExpire once, at zero.
 */
export function Countdown({ deadlineMs, serverNowMs, onExpire }: { deadlineMs: number; serverNowMs: number; onExpire: () => void }) {
  const [offset] = useState(() => serverNowMs - Date.now());
  const [left, setLeft] = useState(() => deadlineMs - serverNowMs);
  const expired = useRef(false);
  const expire = useRef(onExpire);
  expire.current = onExpire;

  useEffect(() => {
    const tick = () => {
      const remaining = deadlineMs - (Date.now() + offset);
      setLeft(remaining);
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
    <p className={urgent ? 'countdown urgent' : 'countdown'} role="timer" aria-live={urgent ? 'assertive' : 'off'} data-testid="countdown">
      <span className="visually-hidden">Time left: </span>
      {left > 0 ? clockText(left) : 'Time is up'}
    </p>
  );
}
