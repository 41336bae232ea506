/**
 * "Verify in this browser": loads tfjs on the click (never before), runs the check row by row
 * with a progress bar, and reports the outcome in words and in data attributes for tests.
 */
import { useEffect, useRef, useState } from 'react';
import type { BrowserVerification, RowVerdict, VerifyProgress } from './browser-verify';
import { countText, shapeText } from './format';
import { countOf } from '../../../engine/answers/format';
import type { Spec } from '../../../engine/spec';

type PanelState =
  | { phase: 'idle' }
  | { phase: 'loading' }
  | { phase: 'running'; progress: VerifyProgress }
  | { phase: 'done'; result: BrowserVerification }
  | { phase: 'failed'; message: string };

/** `arch` names a zoo network; with `spec`, that network instead (the workbench's), under the name `arch`. */
export function VerifyPanel({ arch, spec, onStart, onRow }: { arch: string; spec?: Spec; onStart(): void; onRow(index: number, verdict: RowVerdict): void }) {
  const [state, setState] = useState<PanelState>({ phase: 'idle' });
  const busy = state.phase === 'loading' || state.phase === 'running';
  // A run outlives its panel (the workbench remounts it for every edited network): its late rows and verdict must not land on another network.
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  async function verify() {
    onStart();
    setState({ phase: 'loading' });
    try {
      // The only way tfjs reaches this page: a separate chunk, fetched on the click.
      const { verifyInBrowser } = await import('./browser-verify');
      const result = await verifyInBrowser(
        arch,
        {
          onProgress: (progress) => mounted.current && setState({ phase: 'running', progress }),
          onRow: (index, verdict) => mounted.current && onRow(index, verdict),
        },
        spec,
      );
      if (mounted.current) setState({ phase: 'done', result });
    } catch (err) {
      if (mounted.current) setState({ phase: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  }

  const result = state.phase === 'done' ? state.result : null;
  return (
    <section
      className="verify-panel"
      aria-labelledby="verify-title"
      data-state={state.phase}
      data-backend={result?.backend}
      data-ok={result ? String(result.ok) : undefined}
      data-output={result?.output ? shapeText(result.output.tfjs) : undefined}
      data-layers={result?.layers}
      data-ms={result?.ms}
      data-tensors-leaked={result?.tensorsLeaked}
    >
      <h2 id="verify-title">Check it in this browser</h2>
      <p>
        Builds this network as a TensorFlow.js model on WebGL and compares every row of the table with it: output shape,
        params under both conventions, MACs read off each layer's kernel, and the receptive field measured by a gradient.
      </p>
      <button type="button" onClick={verify} disabled={busy}>
        {state.phase === 'done' || state.phase === 'failed' ? 'Verify again' : 'Verify in this browser'}
      </button>
      <div role="status" aria-live="polite" className="verify-status">
        {state.phase === 'loading' && <p>Loading TensorFlow.js…</p>}
        {state.phase === 'running' && state.progress.fallback && (
          <p className="warning">
            Running on <strong>{state.progress.backend}</strong>, not WebGL: {state.progress.fallback}.
          </p>
        )}
        {state.phase === 'running' && (
          <p>
            <label htmlFor="verify-progress">
              On {state.progress.backend}, layer {Math.min(state.progress.done + 1, state.progress.total)} of {state.progress.total}: {state.progress.current}
            </label>{' '}
            <progress id="verify-progress" max={state.progress.total} value={state.progress.done} />
          </p>
        )}
        {result && <VerifySummary result={result} />}
        {state.phase === 'failed' && <p className="bad">The check could not run: {state.message}</p>}
      </div>
    </section>
  );
}

function VerifySummary({ result }: { result: BrowserVerification }) {
  const seconds = `${countText(result.ms)} ms`;
  return (
    <>
      {result.fallback && (
        <p className="warning">
          Ran on <strong>{result.backend}</strong>, not WebGL: {result.fallback}.
        </p>
      )}
      {result.error ? (
        <p className="bad">
          The model could not be built or run on {result.backend}: {result.error}
        </p>
      ) : result.ok ? (
        <p className="good">
          ✓ All {countOf(result.layers, 'layer')} and the final output ({result.output ? shapeText(result.output.tfjs) : '—'}) agree on <strong>{result.backend}</strong> in {seconds} ({countOf(result.fieldsMeasured, 'receptive field')}
          measured{result.tensorsLeaked === 0 ? '; every tensor disposed' : `; ${countOf(result.tensorsLeaked, 'tensor')} left allocated`}).
        </p>
      ) : (
        <>
          <p className="bad">
            ✗ {result.mismatches.length} of {countOf(result.layers, 'layer')} disagree on <strong>{result.backend}</strong> ({seconds})
            {result.output && !result.output.ok ? `; the final output: engine ${shapeText(result.output.engine)}, tfjs ${shapeText(result.output.tfjs)}` : ''}:
          </p>
          <ul className="mismatches">
            {result.mismatches.map((m) => (
              <li key={m.name}>
                <code>{m.name}</code>: {m.lines.join('; ')}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
