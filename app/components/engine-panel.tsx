import { lazy, Suspense, useEffect, useState } from 'react';
import type { AnswerSource } from '../../engine/question';
import type { Spec } from '../../engine/spec';
import type { ExpectedAnswer, StudentAnswer } from '../engine-report';

export interface EnginePanelProps {
  spec: Spec;
  answer: ExpectedAnswer;
  source?: AnswerSource | null;
  student?: StudentAnswer | null;
  /** Also draw the measured receptive field (receptive-field questions). */
  showField?: boolean;
  /** Send the outcome to /variant-checks for this item and seed ("verified on N"). */
  report?: { itemId: string; seed: number } | undefined;
}

// The panel's body loads after the page (a page's first-load JavaScript has a budget: decision 0026).
const EnginePanelView = lazy(() => import('../engine-worker/panel-view'));

/** Shown until the body has loaded (and in the server's HTML: the check needs JavaScript). */
function Placeholder() {
  return (
    <section className="engine-panel" aria-label="Engine check" data-testid="engine-panel" data-state="running" data-backend="" data-ok="" data-ms="">
      <h3>Checked by a real model</h3>
      <p aria-live="polite">Checking: starting the engine…</p>
    </section>
  );
}

/**
 * After an answer: a real tfjs model, in a Web Worker, checks the variant's network against the
 * engine and says each stage as it runs (app/engine-worker/panel-view.tsx).
 */
export function EnginePanel(props: EnginePanelProps) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  if (!mounted) return <Placeholder />;
  return (
    <Suspense fallback={<Placeholder />}>
      <EnginePanelView {...props} />
    </Suspense>
  );
}
