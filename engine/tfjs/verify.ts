/**
 * verifySpec(spec): build the spec in tfjs and compare every row of the engine's analysis with
 * what the model really does — output shape, params (both conventions), MACs read off each built
 * layer's kernel, and the receptive field measured by gradient.
 *
 * Rows are matched by position: buildModel walks the spec in the analysis's order (a block,
 * concat or residual first, then its parts; residual body before shortcut), and each pair must
 * also agree on the layer kind.
 */
import * as tf from '@tensorflow/tfjs';
import { analyze } from '../analysis';
import type { Analysis, LayerAnalysis } from '../analysis-types';
import type { Spec } from '../spec';
import { getArch } from '../zoo';
import { useBackend, type VerifyBackends } from './backend';
import { buildModel, type BuiltLayer, type BuiltModel } from './build';
import { centralUnit, fieldSpan, measureField, measureReach, type FieldSpan } from './field';

/** Which rows get a receptive-field measurement (one gradient each). */
export type FieldPolicy = 'all' | 'top' | 'final' | 'none';

export interface VerifyOptions {
  /** Compare against the analysis of this spec instead (a test's deliberately wrong analysis). */
  against?: Spec;
  /** Default 'all' for specs of up to 60 rows, else 'top' (top-level rows and the last map). */
  receptiveField?: FieldPolicy;
  /** Name in the result (default: the spec's name). */
  arch?: string;
  /** Backends for the zero-weight model and for the field gradients (default: the current one for both). */
  backends?: Partial<VerifyBackends>;
  /**
   * Progress, row by row in order (a page shows it): `beforeField` just before a row's field is
   * measured (the slow part), `row` when a row's check is complete. Awaited, so a browser can paint.
   */
  progress?: {
    /** The zero-weight model is built; comparing its layers with the analysis comes next. */
    built?(): void | Promise<void>;
    beforeField?(index: number, row: LayerAnalysis): void | Promise<void>;
    row?(index: number, check: LayerCheck, total: number): void | Promise<void>;
  };
}

export interface FieldNumbers {
  /** Field size along H and W: the analysis's full size; for tfjs, the measured (clipped) extent. */
  size: [number, number];
  /** The output unit measured. */
  unit: [number, number];
  /** The pixels it sees, clipped to the input. */
  span: FieldSpan;
}

export interface LayerNumbers {
  output: number[];
  /** torchvision's convention (γ, β; no running statistics) — tfjs: trainable weights. */
  params: number;
  /** Keras's convention (with batch-norm running statistics) — tfjs: countParams(). */
  paramsWithStats: number;
  macs: number;
  /** Null when not measured (flattened outputs, or outside the field policy). */
  rf: FieldNumbers | null;
}

export interface LayerCheck {
  name: string;
  type: string;
  ok: boolean;
  /** One line per disagreement, naming both numbers. */
  mismatches: string[];
  engine: LayerNumbers;
  tfjs: LayerNumbers;
}

/** The network's final output: the analysis's against the built model's output tensor (a concat's, an add's, the last dense layer's). */
export interface OutputCheck {
  engine: number[];
  tfjs: number[];
  ok: boolean;
}

export interface VerifyResult {
  arch: string;
  /** The backend that ran, or `structure+field` when two did. */
  backend: string;
  backends: VerifyBackends;
  /** True when every row agrees and so does the final output. */
  ok: boolean;
  output: OutputCheck;
  layers: LayerCheck[];
  ms: number;
  /** How many rows had their receptive field measured. */
  fieldsMeasured: number;
  /** Set when the model could not be built or run at all. */
  error?: string;
}

const ALL_FIELDS_UP_TO = 60;

/**
 * Verify a spec against the engine's analysis. Leaves no tensors behind, and the backend as it
 * found it.
 */
export async function verifySpec(spec: Spec, options: VerifyOptions = {}): Promise<VerifyResult> {
  const t0 = tf.util.now();
  const original = tf.getBackend();
  const backends: VerifyBackends = { structure: options.backends?.structure ?? original, field: options.backends?.field ?? original };
  const arch = options.arch ?? spec.name ?? 'spec';
  const target = options.against ?? spec;
  const analysis = analyze(target);
  const withStats = analyze(target, { bnStats: true });
  let layers: LayerCheck[] = [];
  let fieldsMeasured = 0;
  let output: OutputCheck = { engine: [...analysis.output], tfjs: [], ok: false };
  try {
    await useBackend(backends.structure);
    const built = buildModel(spec, { weights: 'zeros' });
    try {
      await options.progress?.built?.();
      layers = compareStructure(analysis, withStats, built.layers);
      const tfjs = built.model.outputs[0]!.shape.slice(1) as number[];
      output = { engine: [...analysis.output], tfjs, ok: sameShape(analysis.output, tfjs) };
    } finally {
      built.model.dispose();
    }
    const policy = options.receptiveField ?? (analysis.layers.length <= ALL_FIELDS_UP_TO ? 'all' : 'top');
    const chosen = fieldRows(analysis, policy);
    if (chosen.size > 0) await useBackend(backends.field);
    const field = chosen.size > 0 ? buildModel(spec, { weights: 'field', linear: true, spatialOnly: true, narrow: true }) : null;
    try {
      for (let index = 0; index < layers.length; index++) {
        const check = layers[index]!;
        const entry = field?.layers[index];
        const row = analysis.layers[index];
        // The field variant is one channel wide: only the map size must agree.
        if (field && chosen.has(index) && entry && row && sameShape(entry.output.shape.slice(1, 3) as number[], check.tfjs.output.slice(0, 2))) {
          await options.progress?.beforeField?.(index, row);
          compareField(check, row, field, entry);
          fieldsMeasured++;
        }
        await options.progress?.row?.(index, check, layers.length);
      }
    } finally {
      field?.model.dispose();
    }
  } finally {
    await useBackend(original);
  }
  const backend = backends.structure === backends.field || fieldsMeasured === 0 ? backends.structure : `${backends.structure}+${backends.field}`;
  return { arch, backend, backends, ok: output.ok && layers.every((l) => l.ok), output, layers, ms: tf.util.now() - t0, fieldsMeasured };
}

/** Verify a zoo architecture by id (throws UnknownArchError for an unknown id; a model that fails to build is a failed result). */
export async function verifyArch(id: string, options: Omit<VerifyOptions, 'arch'> = {}): Promise<VerifyResult> {
  const entry = getArch(id);
  try {
    return await verifySpec(entry.spec, { ...options, arch: id });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const backends: VerifyBackends = { structure: options.backends?.structure ?? tf.getBackend(), field: options.backends?.field ?? tf.getBackend() };
    let engine: number[] = [];
    try {
      engine = [...analyze(entry.spec).output];
    } catch {
      // The analysis itself failed: the message above says why.
    }
    return { arch: id, backend: backends.structure, backends, ok: false, output: { engine, tfjs: [], ok: false }, layers: [], ms: 0, fieldsMeasured: 0, error: message };
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function weightCount(w: { shape: readonly (number | null)[] }): number {
  return w.shape.reduce<number>((n, d) => n * (d ?? 1), 1);
}

/**
 * MACs of a built layer, read off its kernel: |kernel| · Hout · Wout. This one product covers
 * conv2d ([kh, kw, cin/groups, cout]), depthwise ([kh, kw, cin, multiplier]) and dense
 * ([in, units], one output position); layers without a kernel do no MACs.
 */
export function kernelMacs(layer: tf.layers.Layer): number {
  const kernel = layer.weights.find((w) => /kernel$/.test(w.originalName ?? w.name));
  if (!kernel) return 0;
  const out = layer.outputShape as (number | null)[];
  const positions = out.length === 4 ? out[1]! * out[2]! : 1;
  return weightCount(kernel) * positions;
}

function tfjsNumbers(entry: BuiltLayer): LayerNumbers {
  let params = 0;
  let paramsWithStats = 0;
  let macs = 0;
  for (const l of entry.tfLayers) {
    params += l.trainableWeights.reduce((n, w) => n + weightCount(w), 0);
    paramsWithStats += l.countParams();
    macs += kernelMacs(l);
  }
  return { output: entry.output.shape.slice(1) as number[], params, paramsWithStats, macs, rf: null };
}

function shapeText(s: readonly number[]): string {
  return s.join('×') || '[]';
}

function compareStructure(analysis: Analysis, withStats: Analysis, built: readonly BuiltLayer[]): LayerCheck[] {
  const checks: LayerCheck[] = [];
  const n = Math.max(analysis.layers.length, built.length);
  for (let i = 0; i < n; i++) {
    const row = analysis.layers[i];
    const entry = built[i];
    const engine: LayerNumbers = row
      ? { output: row.output, params: row.params, paramsWithStats: withStats.layers[i]?.params ?? row.params, macs: row.macs, rf: null }
      : { output: [], params: 0, paramsWithStats: 0, macs: 0, rf: null };
    const tfjs = entry ? tfjsNumbers(entry) : { output: [], params: 0, paramsWithStats: 0, macs: 0, rf: null };
    const mismatches: string[] = [];
    if (!row || !entry) {
      mismatches.push(row ? `no tfjs layer for analysis row ${row.name}` : `tfjs layer ${entry!.path} has no analysis row`);
    } else if (row.layer.kind !== entry.layer.kind) {
      mismatches.push(`kind: engine ${row.layer.kind}, tfjs ${entry.layer.kind}`);
    } else {
      if (!sameShape(engine.output, tfjs.output)) mismatches.push(`output: engine ${shapeText(engine.output)}, tfjs ${shapeText(tfjs.output)}`);
      if (engine.params !== tfjs.params) mismatches.push(`params: engine ${engine.params}, tfjs ${tfjs.params}`);
      if (engine.paramsWithStats !== tfjs.paramsWithStats) mismatches.push(`params with batch-norm statistics: engine ${engine.paramsWithStats}, tfjs ${tfjs.paramsWithStats}`);
      if (engine.macs !== tfjs.macs) mismatches.push(`macs: engine ${engine.macs}, tfjs ${tfjs.macs}`);
    }
    checks.push({ name: row?.name ?? entry!.path, type: row?.type ?? entry!.layer.kind, ok: mismatches.length === 0, mismatches, engine, tfjs });
  }
  return checks;
}

/** Row indices to measure: all map rows, or the top-level ones plus the last map with more than one pixel, or just that one. */
function fieldRows(analysis: Analysis, policy: FieldPolicy): Set<number> {
  const chosen = new Set<number>();
  if (policy === 'none') return chosen;
  const maps = analysis.layers.map((r, i) => [r, i] as const).filter(([r]) => r.output.length === 3);
  const wide = maps.filter(([r]) => r.output[0]! * r.output[1]! > 1);
  const lastMap = [...wide].reverse().find(([r]) => r.depth === 0) ?? wide[wide.length - 1];
  for (const [row, i] of maps) {
    if (policy === 'all' || (policy === 'top' && row.depth === 0)) chosen.add(i);
  }
  if (lastMap) chosen.add(lastMap[1]);
  return chosen;
}

function compareField(check: LayerCheck, row: LayerAnalysis, field: BuiltModel, entry: BuiltLayer): void {
  const [, inH, inW] = field.input.shape as [null, number, number, number];
  const [outH, outW] = row.output as [number, number, number];
  const unit = centralUnit(outH, outW);
  let expected: FieldSpan = { h: fieldSpan(row.rf, unit[0], inH), w: fieldSpan(row.rfW, unit[1], inW) };
  const touches = (s: [number, number], n: number) => s[0] === 0 || s[1] === n - 1;
  if (touches(expected.h, inH) || touches(expected.w, inW)) {
    // At the border the field is also cut by the rows the network never reads (see measureReach).
    const reach = measureReach(field, entry);
    const cut = (s: [number, number], r: [number, number]): [number, number] => [Math.max(s[0], r[0]), Math.min(s[1], r[1])];
    expected = { h: cut(expected.h, reach.h), w: cut(expected.w, reach.w) };
  }
  check.engine.rf = { size: [row.rf.size, row.rfW.size], unit, span: expected };
  const measured = measureField(field, entry);
  const size: [number, number] = [measured.span.h[1] - measured.span.h[0] + 1, measured.span.w[1] - measured.span.w[0] + 1];
  check.tfjs.rf = { size, unit: measured.unit, span: measured.span };
  const same = (a: [number, number], b: [number, number]) => a[0] === b[0] && a[1] === b[1];
  if (!same(expected.h, measured.span.h) || !same(expected.w, measured.span.w)) {
    const text = (s: FieldSpan) => `rows ${s.h[0]}–${s.h[1]}, cols ${s.w[0]}–${s.w[1]}`;
    check.mismatches.push(`receptive field of unit (${unit[0]}, ${unit[1]}): engine ${row.rf.size}×${row.rfW.size} → ${text(expected)}, tfjs ${text(measured.span)}`);
    check.ok = false;
  }
}
