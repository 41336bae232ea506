/**
 * The answers of an attempt being taken, kept so that nothing is lost: every change is saved
 * by a debounced fetcher post, and until the server has it, a copy waits in localStorage (a
 * reload or a dropped connection resends it). Positions are the quiz's question indexes.
 */
import type { FetcherWithComponents } from '@remix-run/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

export interface Draft {
  answer: string;
  flagged: boolean;
  timeMs: number;
}
export type Drafts = Record<number, Draft>;
export type DraftEntry = Draft & { position: number };

/** What the save action answers. */
export type SaveReply = { kind: 'saved'; answers: DraftEntry[] } | { kind: 'offline' } | { kind: string };

/** Wait after the last keystroke before saving, and at most this long for a pause while typing. */
const DEBOUNCE_MS = 600;
const MAX_WAIT_MS = 3_000;
/** Retry after a request failed for want of a connection. */
const RETRY_MS = 2_000;

export function storageKeyOf(attemptId: number): string {
  return `stride-quiz-${attemptId}`;
}

function sameDraft(a: Draft | undefined, b: Draft | undefined): boolean {
  return (a?.answer ?? '') === (b?.answer ?? '') && (a?.flagged ?? false) === (b?.flagged ?? false) && (a?.timeMs ?? 0) === (b?.timeMs ?? 0);
}

function readLocal(key: string): Drafts {
  try {
    const parsed = JSON.parse(window.localStorage.getItem(key) ?? '{}') as unknown;
    if (typeof parsed !== 'object' || parsed === null) return {};
    const out: Drafts = {};
    for (const [k, v] of Object.entries(parsed as Record<string, Partial<Draft>>)) {
      if (typeof v?.answer === 'string') out[Number(k)] = { answer: v.answer, flagged: v.flagged === true, timeMs: typeof v.timeMs === 'number' ? v.timeMs : 0 };
    }
    return out;
  } catch {
    return {}; // storage refused (private mode) or garbled: the server copy stands
  }
}

function writeLocal(key: string, drafts: Drafts): void {
  try {
    if (Object.keys(drafts).length === 0) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, JSON.stringify(drafts));
  } catch {
    // storage full or refused: the autosave still runs
  }
}

export type SaveStatus = 'saved' | 'saving' | 'unsaved' | 'offline';

export function useQuizDrafts({ attemptId, initial, fetcher, closed }: { attemptId: number; initial: Drafts; fetcher: FetcherWithComponents<SaveReply>; closed: boolean }) {
  const key = storageKeyOf(attemptId);
  const [drafts, setDrafts] = useState<Drafts>(initial);
  const [saved, setSaved] = useState<Drafts>(initial);
  const [online, setOnline] = useState(true);
  const [retry, setRetry] = useState(0);
  const inFlight = useRef<Drafts>({});
  const dirtySince = useRef<number | null>(null);

  // Unsent answers from an earlier visit (a reload, a crash, a lost connection) win over the server's.
  useEffect(() => {
    const local = readLocal(key);
    if (Object.keys(local).length) setDrafts((d) => ({ ...d, ...local }));
    setOnline(navigator.onLine);
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, [key]);

  const dirty = useMemo(() => {
    const out: Drafts = {};
    for (const [p, d] of Object.entries(drafts)) if (!sameDraft(d, saved[Number(p)])) out[Number(p)] = d;
    return out;
  }, [drafts, saved]);
  const dirtyCount = Object.keys(dirty).length;

  useEffect(() => {
    if (closed) return;
    writeLocal(key, dirty);
    if (dirtyCount === 0) dirtySince.current = null;
    else dirtySince.current ??= Date.now();
  }, [key, dirty, dirtyCount, closed]);

  const entriesOf = useCallback((ds: Drafts): DraftEntry[] => Object.entries(ds).map(([p, d]) => ({ position: Number(p), ...d })), []);

  useEffect(() => {
    if (closed || !online || fetcher.state !== 'idle' || dirtyCount === 0) return;
    const waited = Date.now() - (dirtySince.current ?? Date.now());
    const timer = setTimeout(
      () => {
        inFlight.current = dirty;
        fetcher.submit({ intent: 'save', answers: JSON.stringify(entriesOf(dirty)) }, { method: 'post' });
      },
      Math.max(0, Math.min(DEBOUNCE_MS, MAX_WAIT_MS - waited)),
    );
    return () => clearTimeout(timer);
  }, [closed, online, fetcher, dirty, dirtyCount, retry, entriesOf]);

  useEffect(() => {
    if (fetcher.state !== 'idle' || !fetcher.data) return;
    const reply = fetcher.data;
    if (reply.kind === 'saved' && 'answers' in reply) {
      const sent = inFlight.current;
      inFlight.current = {};
      const stored: Drafts = {};
      for (const a of reply.answers) stored[a.position] = { answer: a.answer, flagged: a.flagged, timeMs: a.timeMs };
      setSaved((s) => ({ ...s, ...stored }));
      // Adopt the server's version (a locked answer, a clamped time) where nothing changed since sending.
      setDrafts((d) => {
        const next = { ...d };
        for (const [p, v] of Object.entries(stored)) if (sameDraft(d[Number(p)], sent[Number(p)])) next[Number(p)] = v;
        return next;
      });
    } else if (reply.kind === 'offline') {
      const timer = setTimeout(() => setRetry((r) => r + 1), RETRY_MS);
      return () => clearTimeout(timer);
    }
  }, [fetcher.state, fetcher.data]);

  const update = useCallback((position: number, change: (d: Draft) => Draft) => {
    setDrafts((d) => ({ ...d, [position]: change(d[position] ?? { answer: '', flagged: false, timeMs: 0 }) }));
  }, []);

  const forget = useCallback(() => writeLocal(key, {}), [key]);

  const lastFailedOffline = fetcher.state === 'idle' && fetcher.data?.kind === 'offline';
  const status: SaveStatus = !online || lastFailedOffline ? 'offline' : fetcher.state !== 'idle' ? 'saving' : dirtyCount ? 'unsaved' : 'saved';
  return { drafts, dirty: entriesOf(dirty), update, status, forget, markSaved: (entries: DraftEntry[]) => setSaved((s) => ({ ...s, ...Object.fromEntries(entries.map((e) => [e.position, { answer: e.answer, flagged: e.flagged, timeMs: e.timeMs }])) })) };
}
