import { useEffect, useMemo, useRef, useState } from 'react';
import { analyze } from '../../engine/analysis';
import { measureSource } from '../../engine/families/measure';
import type { AnswerSource } from '../../engine/question';
import type { Spec } from '../../engine/spec';
import type { FieldMap, PanelCheck } from '../../engine/tfjs/browser';
import type { LayerCheck } from '../../engine/tfjs/verify';

type Expected = { kind: string; value: unknown; display: string } | null;

function formatShape(shape: readonly number[]): string {
  return shape.join('×');
}

/** How the expected answer compares with what the model measured. */
export interface Agreement {
  status: 'agrees' | 'differs' | 'not-compared';
  /** One sentence for the student: "✓ agrees: …", "✗ differs: tfjs X, answer Y", "not compared (…)". */
  text: string;
}

export const NOT_A_QUANTITY = 'not compared (the answer is not a single quantity of the network)';

const QUANTITY_WORDS: Record<AnswerSource['quantity'], string> = {
  output: 'output shape',
  channels: 'output channels',
  params: 'params',
  macs: 'MACs',
  flops: 'FLOPs',
  activations: 'activations',
  rf: 'receptive field',
};

function describe(source: AnswerSource): string {
  const what = QUANTITY_WORDS[source.quantity];
  const factor = source.factor !== undefined && source.factor !== 1 ? `${source.factor} × ` : '';
  return `${factor}${what} of ${source.row ?? 'the network'}`;
}

function show(value: number | readonly number[]): string {
  return typeof value === 'number' ? value.toLocaleString('en-US') : formatShape(value);
}

/** Shapes equal up to leading 1s (4096 = 1×1×4096); numbers equal up to float noise. */
function same(measured: number | readonly number[], expected: unknown): boolean | null {
  if (typeof measured === 'number') {
    if (typeof expected !== 'number') return null;
    return Math.abs(measured - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
  }
  if (!Array.isArray(expected) || !expected.every((v) => typeof v === 'number')) return null;
  const strip = (s: readonly number[]) => s.slice(Math.max(0, s.findIndex((v) => v !== 1)));
  return formatShape(strip(measured)) === formatShape(strip(expected as number[]));
}

function product(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** Compare the answer with the engine's analysis (when tfjs cannot measure the quantity as asked), saying why. */
function againstEngine(spec: Spec, expected: unknown, source: AnswerSource, why: string): Agreement {
  let measured: number | number[];
  try {
    measured = measureSource(spec, source);
  } catch (err) {
    return { status: 'not-compared', text: `not compared (${err instanceof Error ? err.message : String(err)})` };
  }
  const verdict = same(measured, expected);
  if (verdict === null) return { status: 'not-compared', text: NOT_A_QUANTITY };
  return verdict
    ? { status: 'agrees', text: `✓ agrees with the engine's analysis: ${show(measured)} ${describe(source)} (${why})` }
    : { status: 'differs', text: `✗ differs: engine ${show(measured)}, answer ${show(expected as number | number[])} (${why})` };
}

/**
 * Whether the expected answer is what the tfjs model measured: the quantity the variant's
 * `source` names, read from the tfjs numbers of that row (or of the whole network). Questions
 * that leave biases out, and receptive fields wider than the input (tfjs sees only the clipped
 * part), are compared with the engine's analysis instead, which the panel says.
 */
export function answerAgreement(check: Pick<PanelCheck, 'verify'>, spec: Spec, answer: Expected, source: AnswerSource | null | undefined): Agreement {
  if (!answer || !source) return { status: 'not-compared', text: NOT_A_QUANTITY };
  const expected = answer.value;
  if (source.quantity === 'params' && source.bias === false) return againstEngine(spec, expected, source, 'the question leaves biases out; the tfjs model always has them');

  const layers = check.verify.layers;
  const rows = new Map(analyze(spec).layers.map((r) => [r.name, r]));
  const leaves = layers.filter((l) => rows.get(l.name)?.aggregate === false);
  const topLevel = layers.filter((l) => rows.get(l.name)?.depth === 0);
  let row: LayerCheck | undefined;
  if (source.row !== undefined) {
    row = layers.find((l) => l.name === source.row);
    if (!row) return { status: 'not-compared', text: `not compared (the model has no row ${source.row})` };
  }
  const last = row ?? topLevel[topLevel.length - 1];
  if (!last) return { status: 'not-compared', text: 'not compared (the model has no layers)' };
  const factor = source.factor ?? 1;
  const sum = (f: (l: LayerCheck) => number) => (row ? f(row) : leaves.reduce((n, l) => n + f(l), 0));

  let measured: number | number[];
  switch (source.quantity) {
    case 'output':
      measured = last.tfjs.output;
      break;
    case 'channels': {
      const c = last.tfjs.output[last.tfjs.output.length - 1];
      if (c === undefined) return { status: 'not-compared', text: `not compared (the model's output of ${last.name} has no shape)` };
      measured = c;
      break;
    }
    case 'params':
      measured = factor * sum((l) => l.tfjs.params);
      break;
    case 'macs':
      measured = factor * sum((l) => l.tfjs.macs);
      break;
    case 'flops':
      measured = factor * 2 * sum((l) => l.tfjs.macs);
      break;
    case 'activations':
      measured = factor * sum((l) => product(l.tfjs.output));
      break;
    case 'rf': {
      const field = last.tfjs.rf;
      const engine = last.engine.rf;
      if (!field || !engine) return { status: 'not-compared', text: `not compared (the receptive field of ${last.name} was not measured)` };
      const spanH = engine.span.h[1] - engine.span.h[0] + 1;
      // A field wider than the input: tfjs sees only the clipped part (which verify compared with the engine's span).
      if (spanH < engine.size[0]) return againstEngine(spec, expected, source, `the field is wider than the input; tfjs measured its ${field.size[0]}-pixel clipped part`);
      measured = factor * field.size[0];
      break;
    }
  }
  const verdict = same(measured, expected);
  if (verdict === null) return { status: 'not-compared', text: NOT_A_QUANTITY };
  return verdict
    ? { status: 'agrees', text: `✓ agrees: tfjs measures ${show(measured)} ${describe(source)}` }
    : { status: 'differs', text: `✗ differs: tfjs ${show(measured)}, answer ${show(expected as number | number[])} (${describe(source)})` };
}

/**
 * After an answer: load tfjs (only now), build the variant's network on WebGL, run it, and say
 * what the real model found, with a mark for agreement with the engine and, when the variant's `source` names one quantity
 * of the network, whether the answer is what the model measured. Receptive-field
 * questions also get the measured field drawn as a picture.
 */
export function EnginePanel({ spec, answer, source = null, showField = false }: { spec: Spec; answer: Expected; source?: AnswerSource | null; showField?: boolean }) {
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

  const agreement = useMemo(() => (check ? answerAgreement(check, spec, answer, source) : null), [check, spec, answer, source]);
  // Not compared: the model's agreement with the engine alone decides.
  const ok = check && agreement ? check.verify.ok && agreement.status !== 'differs' : null;
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
            {check.verify.ok ? '✓' : '✗'} output {formatShape(check.output)}, {check.params.toLocaleString('en-US')} params, {check.macs.toLocaleString('en-US')} MACs, on{' '}
            <strong data-testid="engine-backend">{check.backend.backend}</strong> in {Math.round(check.forwardMs)} ms
            {check.verify.ok ? ' — agrees with the engine.' : ' — disagrees with the engine: see below.'}
          </p>
          {agreement ? (
            <p data-testid="answer-agreement" data-agreement={agreement.status}>
              The answer: {agreement.text}.
            </p>
          ) : null}
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
