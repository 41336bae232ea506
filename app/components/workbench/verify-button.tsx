/**
 * The workbench's "Verify in this browser": the explorer's panel (its texts and data attributes)
 * cannot take a spec yet (VerifyPanel takes a zoo id), so this button runs the same check on the
 * workbench's spec through verify-spec.ts and reports in the same words.
 */
import { useState } from 'react';
import type { BrowserVerification, RowVerdict, VerifyProgress } from '../explorer/browser-verify';
import { shapeText } from '../explorer/format';
import { countOf } from '../../../engine/answers/format';
import type { Spec } from '../../../engine/spec';

type State = { phase: 'idle' } | { phase: 'loading' } | { phase: 'running'; progress: VerifyProgress } | { phase: 'done'; result: BrowserVerification } | { phase: 'failed'; message: string };

export function WorkbenchVerify({ spec, onStart, onRow }: { spec: Spec; onStart(): void; onRow(index: number, verdict: RowVerdict): void }) {
  const [state, setState] = useState<State>({ phase: 'idle' });
  const busy = state.phase === 'loading' || state.phase === 'running';
  async function verify() {
    onStart();
    setState({ phase: 'loading' });
    try {
      const { verifyWorkbenchSpec } = await import('./verify-spec');
      const result = await verifyWorkbenchSpec(spec, { onProgress: (progress) => setState({ phase: 'running', progress }), onRow });
      setState({ phase: 'done', result });
    } catch (err) {
      setState({ phase: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  }
  const result = state.phase === 'done' ? state.result : null;
  return (
    <section className="verify-panel" aria-labelledby="verify-title" data-state={state.phase} data-backend={result?.backend} data-ok={result ? String(result.ok) : undefined} aria-busy={busy}>
      <h2 id="verify-title">Check it in this browser</h2>
      <p>Builds this network as a TensorFlow.js model on WebGL and compares every row of the table with it.</p>
      <button type="button" onClick={verify} disabled={busy}>
        {state.phase === 'done' || state.phase === 'failed' ? 'Verify again' : 'Verify in this browser'}
      </button>
      <div role="status" aria-live="polite" className="verify-status">
        {state.phase === 'loading' && <p>Loading TensorFlow.js…</p>}
        {state.phase === 'running' && (
          <p>
            On {state.progress.backend}, layer {Math.min(state.progress.done + 1, state.progress.total)} of {state.progress.total}: {state.progress.current}
          </p>
        )}
        {result?.fallback && (
          <p className="warning">
            Ran on <strong>{result.backend}</strong>, not WebGL: {result.fallback}.
          </p>
        )}
        {result &&
          (result.error ? (
            <p className="bad">The model could not be built or run on {result.backend}: {result.error}</p>
          ) : result.ok ? (
            <p className="good">
              ✓ All {countOf(result.layers, 'layer')} and the final output ({result.output ? shapeText(result.output.tfjs) : '—'}) agree on <strong>{result.backend}</strong>.
            </p>
          ) : (
            <p className="bad">
              ✗ {result.mismatches.length} of {countOf(result.layers, 'layer')} disagree: {result.mismatches.map((m) => `${m.name}: ${m.lines.join('; ')}`).join(' · ')}
            </p>
          ))}
        {state.phase === 'failed' && <p className="bad">The check could not run: {state.message}</p>}
      </div>
    </section>
  );
}
