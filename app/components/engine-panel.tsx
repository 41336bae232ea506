import { useEffect, useRef, useState } from 'react';
import type { Spec } from '../../engine/spec';
import type { FieldMap, PanelCheck } from '../../engine/tfjs/browser';

type Expected = { kind: string; value: unknown; display: string } | null;

function formatShape(shape: number[]): string {
  return shape.join('×');
}

/** Whether the model's numbers contain the expected answer (a shape, or one of its counts). */
function agrees(check: PanelCheck, expected: Expected): boolean | null {
  if (!expected) return null;
  if (expected.kind === 'shape' && Array.isArray(expected.value)) {
    const strip = (s: number[]) => s.slice(s.findIndex((v) => v !== 1));
    return formatShape(strip(expected.value as number[])) === formatShape(strip(check.output));
  }
  return null;
}

/**
 * After an answer: load tfjs (only now), build the variant's network on WebGL, run it, and say
 * what the real model found, with a mark for agreement with the engine. Receptive-field
 * questions also get the measured field drawn as a picture.
 */
export function EnginePanel({ spec, answer, showField = false }: { spec: Spec; answer: Expected; showField?: boolean }) {
  const [check, setCheck] = useState<PanelCheck | null>(null);
  const [map, setMap] = useState<FieldMap | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    let live = true;
    setCheck(null);
    setMap(null);
    setError(null);
    (async () => {
      const tfjs = await import('../../engine/tfjs/browser');
      const result = await tfjs.checkSpecInBrowser(spec);
      if (!live) return;
      setCheck(result);
      if (showField) {
        const m = await tfjs.fieldMap(spec);
        if (live) setMap(m);
      }
    })().catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
    };
  }, [spec, showField]);

  useEffect(() => {
    const c = canvas.current;
    if (!c || !map) return;
    c.width = map.width;
    c.height = map.height;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(map.width, map.height);
    for (let i = 0; i < map.values.length; i++) {
      const v = map.values[i]!;
      const on = v > 0;
      img.data[i * 4] = on ? 47 : 240;
      img.data[i * 4 + 1] = on ? Math.round(91 + 120 * (1 - v)) : 240;
      img.data[i * 4 + 2] = on ? 211 : 240;
      img.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [map]);

  const agreement = check ? agrees(check, answer) : null;
  const ok = check ? check.verify.ok && agreement !== false : null;
  return (
    <aside
      className="engine-panel"
      aria-label="Engine check"
      aria-busy={!check && !error}
      data-testid="engine-panel"
      data-backend={check?.backend.backend ?? ''}
      data-ok={ok === null ? '' : String(ok)}
    >
      <h3>Checked by a real model</h3>
      {error ? <p className="field-error">The model could not be built here: {error}</p> : null}
      {!check && !error ? <p>Loading TensorFlow.js and building the network…</p> : null}
      {check ? (
        <>
          <p>
            {ok ? '✓' : '✗'} output {formatShape(check.output)}, {check.params.toLocaleString('en-US')} params, {check.macs.toLocaleString('en-US')} MACs, on{' '}
            <strong data-testid="engine-backend">{check.backend.backend}</strong> in {Math.round(check.forwardMs)} ms
            {ok ? ' — agrees with the answer and the engine.' : ' — disagrees with the engine: see below.'}
          </p>
          {check.backend.fallback ? <p className="notice">Running on the CPU backend: {check.backend.fallback}.</p> : null}
          {!check.verify.ok ? (
            <ul>
              {check.verify.layers
                .filter((l) => !l.ok)
                .map((l) => (
                  <li key={l.name}>
                    {l.name}: {l.mismatches.join('; ')}
                  </li>
                ))}
            </ul>
          ) : null}
        </>
      ) : null}
      {showField ? (
        <figure className="field-map">
          <canvas ref={canvas} role="img" aria-label={map ? `Measured receptive field of output unit (${map.unit.join(', ')}) on the ${map.height}×${map.width} input` : 'Measuring the receptive field'} />
          <figcaption>The pixels one output unit sees: the gradient of that unit with respect to the input.</figcaption>
        </figure>
      ) : null}
    </aside>
  );
}
