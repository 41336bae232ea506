/**
 * The live "read as" echo under a typed answer (review and quizzes): the reader the server grades
 * with, loaded after hydration rather than in the page's first load (it is most of /review's own
 * code, and the budget is 100 KB gzip). Before anything is typed the echo is the card's hint,
 * built on the server (PresentedCard.answerHint). Until the reader arrives (a few milliseconds
 * after hydration) the hint stays.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ReadResult } from '../../engine/answers/read';
import type { PresentedCard } from '~/study.server';

type Reader = typeof import('../../engine/answers/read');
let reader: Promise<Reader> | null = null;

export function useAnswerReading(card: Pick<PresentedCard, 'mode' | 'readContext' | 'answerHint'>, text: string): { reading: ReadResult | null; hint: string } {
  const [read, setRead] = useState<Reader['readAnswer'] | null>(null);
  const typed = card.mode === 'typed' && card.readContext !== null;
  useEffect(() => {
    if (!typed) return;
    let live = true;
    reader ??= import('../../engine/answers/read');
    reader.then((m) => live && setRead(() => m.readAnswer)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, [typed]);
  const reading = useMemo(() => (typed && read && text.trim() !== '' ? read(text, card.readContext!) : null), [typed, read, text, card.readContext]);
  return { reading, hint: card.answerHint ?? '\u00a0' };
}
