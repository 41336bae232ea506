/**
 * analyze(spec): per layer the output shape, params, MACs, activations and receptive field, plus totals.
 *
 * Decisions (each one a convention a question can state):
 * - Rows: one per leaf layer; a block, concat or residual gets an aggregate row followed by its
 *   parts at depth + 1. Totals sum leaf rows only, so nothing is counted twice.
 * - Params: weights + biases + batch-norm γ, β (torchvision). `bias: false` drops every bias;
 *   `bnStats: true` adds the running mean and variance (Keras's count_params).
 * - MACs: conv and dense only. Pools, ReLU, LRN, batch norm, dropout and the residual add count 0.
 * - Activations: the output values of every leaf layer (ReLU and dropout included). `memory` is the
 *   lecture's count of the same thing: the input plus every conv, pool and dense output (what its
 *   VGG-16 table lists), without in-place ReLU/dropout or pools that return their input unchanged.
 * - Rounding: conv and pool windows use floor (ceil in ceil mode), as every framework does. A size
 *   that does not divide exactly is not an error: the row gets `exact: false`. With
 *   `{ strict: true }` it is a SpecError instead.
 * - Dense on an H×W×C input flattens it first (the lecture's FC6 after POOL5), in H·W·C order.
 * - Receptive field per axis (rf = height, rfW = width). Global pooling, flatten and dense see the
 *   whole map: a window the size of the map. Concat and residual take the branch with the larger
 *   field; their jumps must agree.
 */
import type { Analysis, AnalysisTotals, LayerAnalysis, ReceptiveField } from './analysis-types';
import { SpecError } from './errors';
import {
  INPUT_FIELD,
  bnParams,
  convMacs,
  convParams,
  denseMacs,
  denseParams,
  effectiveKernel,
  flopsFromMacs,
  receptiveFieldStep,
  samePadding,
  valueCount,
  windowFitsExactly,
  windowOutput,
} from './formulas';
import { pair, type CountingOptions, type Layer, type Padding, type Spec } from './spec';
import { LayerPaths } from './layer-paths';

export interface AnalyzeOptions extends CountingOptions {
  /** Throw a SpecError when a conv or pool output size had to be rounded (default false: `exact: false` on the row). */
  strict?: boolean;
  /**
   * Count a bias on every conv, also where the spec builds it without one (default false). Keras's
   * ResNets keep the conv bias in front of each batch norm, torchvision's drop it: the same
   * network counts 25,636,712 in Keras and 25,557,032 in torchvision. No effect with `bias: false`.
   */
  convBias?: boolean;
}

/** The conventions of a count, in words, for the summary's footer. */
export function conventionText(options: AnalyzeOptions = {}): string {
  const bias = options.bias !== false;
  const stats = options.bnStats === true;
  const params = [
    'params count weights',
    !bias ? 'no biases' : options.convBias === true ? 'biases (a bias on every conv, also those built without one)' : 'biases',
    stats ? 'batch-norm γ, β and running mean/variance' : 'batch-norm γ and β',
  ].join(', ');
  return `${params}; MACs count conv and dense multiply-accumulates (pools, ReLU, LRN, batch norm and adds count 0); FLOPs = 2 × MACs; activations = output values of every leaf layer (ReLU and dropout included); memory = the input plus every conv, pool and dense output (the lecture's count); shapes H×W×C.`;
}

/** What flows between layers: the shape (H×W×C, or [n] once flattened) and the field per axis. */
interface Flow {
  shape: number[];
  rf: ReceptiveField;
  rfW: ReceptiveField;
}

interface Sides {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Analyse a spec. Throws SpecError (with the layer's path and the numbers) on an invalid spec. */
export function analyze(spec: Spec, options: AnalyzeOptions = {}): Analysis {
  const input = spec.input;
  if (!Array.isArray(input) || input.length !== 3) throw new SpecError('input', `expected [H, W, C], got ${JSON.stringify(input)}`);
  input.forEach((v, i) => positiveInt('input', ['height', 'width', 'channels'][i]!, v));
  const walker = new Walker(options);
  const out = walker.sequence(spec.layers, { shape: [...input], rf: INPUT_FIELD, rfW: INPUT_FIELD }, '', 0);
  const totals = sumLeaves(walker.rows);
  const bias = options.bias !== false;
  const bnStats = options.bnStats === true;
  const convBias = bias && options.convBias === true;
  return {
    input,
    output: out.shape,
    layers: walker.rows,
    totals: { params: totals.params, macs: totals.macs, flops: flopsFromMacs(totals.macs), activations: totals.activations, memory: valueCount(input) + walker.memory },
    convention: { bias, bnStats, convBias, text: conventionText(options) },
  };
}

function sumLeaves(rows: readonly LayerAnalysis[]): Omit<AnalysisTotals, 'flops' | 'memory'> {
  let params = 0;
  let macs = 0;
  let activations = 0;
  for (const r of rows) {
    if (r.aggregate) continue;
    params += r.params;
    macs += r.macs;
    activations += r.activations;
  }
  return { params, macs, activations };
}

class Walker {
  readonly rows: LayerAnalysis[] = [];
  /** Output values of the conv, pool and dense layers that compute new values (the lecture's memory, less the input). */
  memory = 0;
  private readonly paths = new LayerPaths();

  constructor(private readonly options: AnalyzeOptions) {}

  private get bias(): boolean {
    return this.options.bias !== false;
  }

  /** Layers one after the other; default names count each kind within this scope (conv1, conv2, relu1...). */
  sequence(layers: readonly Layer[], flow: Flow, scope: string, depth: number): Flow {
    if (!Array.isArray(layers)) throw new SpecError(scope || 'spec', 'layers must be a list');
    const pathOf = this.paths.namer(scope);
    let current = flow;
    for (const layer of layers) current = this.layer(layer, current, pathOf(layer), depth);
    return current;
  }

  /** `stored`: the layer computes a new map the lecture's memory counts (conv, pool, dense; not an identity pool). */
  private leaf(layer: Layer, path: string, depth: number, flow: Flow, params: number, macs: number, exact?: boolean, stored = false): Flow {
    if (stored) this.memory += valueCount(flow.shape);
    const row: LayerAnalysis = {
      name: path,
      type: layer.kind,
      depth,
      output: flow.shape,
      params,
      macs,
      activations: valueCount(flow.shape),
      rf: flow.rf,
      rfW: flow.rfW,
      layer,
      aggregate: false,
    };
    if (exact !== undefined) row.exact = exact;
    this.rows.push(row);
    return flow;
  }

  /** Push an aggregate row now, fill it in once its parts are analysed. */
  private aggregate(layer: Layer, type: string, path: string, depth: number, body: () => Flow): Flow {
    const index = this.rows.length;
    const row: LayerAnalysis = {
      name: path,
      type,
      depth,
      output: [],
      params: 0,
      macs: 0,
      activations: 0,
      rf: INPUT_FIELD,
      rfW: INPUT_FIELD,
      layer,
      aggregate: true,
    };
    this.rows.push(row);
    const out = body();
    const sums = sumLeaves(this.rows.slice(index + 1));
    Object.assign(row, sums, { output: out.shape, rf: out.rf, rfW: out.rfW });
    return out;
  }

  private layer(layer: Layer, flow: Flow, path: string, depth: number): Flow {
    switch (layer.kind) {
      case 'conv':
        return this.conv(layer, flow, path, depth);
      case 'maxpool':
      case 'avgpool':
        return this.pool(layer, flow, path, depth);
      case 'globalavgpool': {
        const [h, w, c] = spatial(path, layer.kind, flow);
        return this.leaf(layer, path, depth, wholeMap(flow, h, w, [1, 1, c]), 0, 0, undefined, h * w > 1);
      }
      case 'adaptiveavgpool': {
        const [h, w, c] = spatial(path, layer.kind, flow);
        const [oh, ow] = pair(layer.output, 1);
        positiveInt(path, 'output height', oh);
        positiveInt(path, 'output width', ow);
        if (h % oh !== 0 || w % ow !== 0) {
          throw new SpecError(path, `adaptive pool from ${h}×${w} to ${oh}×${ow}: the input is not a multiple of the output, so the windows would overlap unevenly`);
        }
        const kh = h / oh;
        const kw = w / ow;
        return this.leaf(layer, path, depth, {
          shape: [oh, ow, c],
          rf: receptiveFieldStep(flow.rf, kh, kh),
          rfW: receptiveFieldStep(flow.rfW, kw, kw),
        }, 0, 0, undefined, kh * kw > 1);
      }
      case 'flatten':
        return this.leaf(layer, path, depth, flatten(flow), 0, 0);
      case 'dense': {
        positiveInt(path, 'units', layer.units);
        const flat = flatten(flow);
        const inUnits = flat.shape[0]!;
        const bias = this.bias && layer.bias !== false;
        return this.leaf(layer, path, depth, { ...flat, shape: [layer.units] }, denseParams(inUnits, layer.units, bias), denseMacs(inUnits, layer.units), undefined, true);
      }
      case 'batchnorm': {
        const channels = flow.shape[flow.shape.length - 1]!;
        return this.leaf(layer, path, depth, flow, bnParams(channels, this.options.bnStats === true), 0);
      }
      case 'lrn':
        if (layer.size !== undefined) positiveInt(path, 'size', layer.size);
        return this.leaf(layer, path, depth, flow, 0, 0);
      case 'relu':
        return this.leaf(layer, path, depth, flow, 0, 0);
      case 'dropout':
        if (!(typeof layer.rate === 'number' && layer.rate >= 0 && layer.rate < 1)) {
          throw new SpecError(path, `dropout rate must be in [0, 1), got ${layer.rate}`);
        }
        return this.leaf(layer, path, depth, flow, 0, 0);
      case 'block':
        return this.aggregate(layer, layer.block ?? 'block', path, depth, () => this.sequence(layer.layers, flow, path, depth + 1));
      case 'concat':
        return this.aggregate(layer, 'concat', path, depth, () => this.concat(layer.branches, flow, path, depth + 1));
      case 'residual':
        return this.aggregate(layer, 'residual', path, depth, () => {
          const body = this.sequence(layer.body, flow, path, depth + 1);
          const shortcut = layer.shortcut && layer.shortcut.length > 0 ? this.sequence(layer.shortcut, flow, `${path}/shortcut`, depth + 1) : flow;
          const b = body.shape;
          const s = shortcut.shape;
          if (b.length !== s.length || b.some((v, i) => v !== s[i])) {
            const what = b.length === 3 && s.length === 3 && b[0] === s[0] && b[1] === s[1] ? `channels disagree at the add: body gives ${b[2]}, shortcut gives ${s[2]}` : `shapes disagree at the add: body gives ${b.join('×')}, shortcut gives ${s.join('×')}`;
            throw new SpecError(path, what);
          }
          return { shape: b, rf: widerField(path, body.rf, shortcut.rf), rfW: widerField(path, body.rfW, shortcut.rfW) };
        });
      default: {
        const kind = (layer as { kind?: unknown }).kind;
        throw new SpecError(path, `unknown layer kind ${JSON.stringify(kind)}`);
      }
    }
  }

  private concat(branches: readonly (readonly Layer[])[], flow: Flow, path: string, depth: number): Flow {
    if (!Array.isArray(branches) || branches.length === 0) throw new SpecError(path, 'a concat needs at least one branch');
    const outs = branches.map((b, i) => (b.length === 0 ? flow : this.sequence(b, flow, `${path}/branch${i + 1}`, depth)));
    const first = outs[0]!;
    let rf = first.rf;
    let rfW = first.rfW;
    let channels = 0;
    outs.forEach((o, i) => {
      if (o.shape.length !== first.shape.length || o.shape.slice(0, -1).some((v, j) => v !== first.shape[j])) {
        throw new SpecError(path, `concat spatial mismatch: branch ${i + 1} gives ${o.shape.join('×')} but branch 1 gives ${first.shape.join('×')}`);
      }
      channels += o.shape[o.shape.length - 1]!;
      rf = widerField(path, rf, o.rf);
      rfW = widerField(path, rfW, o.rfW);
    });
    return { shape: [...first.shape.slice(0, -1), channels], rf, rfW };
  }

  private conv(layer: Extract<Layer, { kind: 'conv' }>, flow: Flow, path: string, depth: number): Flow {
    const [h, w, cin] = spatial(path, 'conv', flow);
    positiveInt(path, 'filters', layer.filters);
    const [kh, kw] = pairOf(path, 'kernel', layer.kernel, 1);
    const [sh, sw] = pairOf(path, 'stride', layer.stride, 1);
    const [dh, dw] = pairOf(path, 'dilation', layer.dilation, 1);
    const groups = layer.groups ?? 1;
    positiveInt(path, 'groups', groups);
    if (cin % groups !== 0 || layer.filters % groups !== 0) {
      throw new SpecError(path, `groups ${groups} must divide the input channels ${cin} and the filters ${layer.filters}`);
    }
    const pad = resolvePadding(path, layer.padding, h, w, kh, kw, sh, sw, dh, dw);
    const { oh, ow, exact } = this.window(path, h, w, kh, kw, sh, sw, dh, dw, pad, false);
    const bias = this.bias && (layer.bias !== false || this.options.convBias === true);
    return this.leaf(
      layer,
      path,
      depth,
      { shape: [oh, ow, layer.filters], rf: receptiveFieldStep(flow.rf, kh, sh, pad.top, dh), rfW: receptiveFieldStep(flow.rfW, kw, sw, pad.left, dw) },
      convParams(kh, kw, cin, layer.filters, groups, bias),
      convMacs(oh, ow, layer.filters, kh, kw, cin, groups),
      exact,
      true,
    );
  }

  private pool(layer: Extract<Layer, { kind: 'maxpool' | 'avgpool' }>, flow: Flow, path: string, depth: number): Flow {
    const [h, w, c] = spatial(path, layer.kind, flow);
    const [kh, kw] = pairOf(path, 'kernel', layer.kernel, 1);
    const [sh, sw] = pairOf(path, 'stride', layer.stride ?? layer.kernel, 1);
    const pad = resolvePadding(path, layer.padding, h, w, kh, kw, sh, sw, 1, 1);
    const ceil = layer.ceilMode === true && layer.padding !== 'same';
    const { oh, ow, exact } = this.window(path, h, w, kh, kw, sh, sw, 1, 1, pad, ceil);
    return this.leaf(
      layer,
      path,
      depth,
      { shape: [oh, ow, c], rf: receptiveFieldStep(flow.rf, kh, sh, pad.top), rfW: receptiveFieldStep(flow.rfW, kw, sw, pad.left) },
      0,
      0,
      exact,
      kh * kw > 1 || sh * sw > 1,
    );
  }

  /** Output size of a sliding window on both axes, with the checks every window needs. */
  private window(path: string, h: number, w: number, kh: number, kw: number, sh: number, sw: number, dh: number, dw: number, pad: Sides, ceil: boolean) {
    const ph = h + pad.top + pad.bottom;
    const pw = w + pad.left + pad.right;
    const keh = effectiveKernel(kh, dh);
    const kew = effectiveKernel(kw, dw);
    if (keh > ph || kew > pw) {
      const dilated = dh > 1 || dw > 1 ? ` (dilated to ${keh}×${kew})` : '';
      throw new SpecError(path, `kernel ${kh}×${kw}${dilated} is larger than the padded input ${ph}×${pw} (input ${h}×${w}, padding ${pad.top},${pad.bottom},${pad.left},${pad.right})`);
    }
    const exact = windowFitsExactly(h, kh, sh, pad.top + pad.bottom, dh) && windowFitsExactly(w, kw, sw, pad.left + pad.right, dw);
    if (!exact && this.options.strict) {
      throw new SpecError(path, `output size is not an integer: (${h}×${w} + padding ${pad.top + pad.bottom}×${pad.left + pad.right} − kernel ${keh}×${kew}) / stride ${sh}×${sw} + 1 has a remainder`);
    }
    const oh = windowOutput(h, kh, sh, pad.top, pad.bottom, dh, ceil);
    const ow = windowOutput(w, kw, sw, pad.left, pad.right, dw, ceil);
    return { oh, ow, exact };
  }
}

function positiveInt(path: string, what: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new SpecError(path, `${what} must be a positive integer, got ${String(v)}`);
}

function nonNegativeInt(path: string, what: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new SpecError(path, `${what} must be a non-negative integer, got ${String(v)}`);
}

function pairOf(path: string, what: string, p: Parameters<typeof pair>[0], fallback: number): [number, number] {
  const [a, b] = pair(p, fallback);
  positiveInt(path, what, a);
  positiveInt(path, what, b);
  return [a, b];
}

function spatial(path: string, kind: string, flow: Flow): [number, number, number] {
  const s = flow.shape;
  if (s.length !== 3) throw new SpecError(path, `${kind} needs an H×W×C input, got [${s.join(', ')}] (after a flatten or dense layer)`);
  return [s[0]!, s[1]!, s[2]!];
}

/** A window the size of the whole map: global pooling, flatten, dense on a map. */
function wholeMap(flow: Flow, h: number, w: number, shape: number[]): Flow {
  return { shape, rf: receptiveFieldStep(flow.rf, h, h), rfW: receptiveFieldStep(flow.rfW, w, w) };
}

function flatten(flow: Flow): Flow {
  if (flow.shape.length !== 3) return flow;
  const [h, w] = flow.shape as [number, number, number];
  return wholeMap(flow, h, w, [valueCount(flow.shape)]);
}

/** The larger of two fields (branches of a concat or an add); their jumps must agree. */
function widerField(path: string, a: ReceptiveField, b: ReceptiveField): ReceptiveField {
  if (a.jump !== b.jump) throw new SpecError(path, `branches disagree on the receptive-field jump (${a.jump} vs ${b.jump}), so their outputs are not aligned`);
  return b.size > a.size ? b : a;
}

function resolvePadding(path: string, p: Padding | undefined, h: number, w: number, kh: number, kw: number, sh: number, sw: number, dh: number, dw: number): Sides {
  if (p === undefined || p === 'valid') return { top: 0, bottom: 0, left: 0, right: 0 };
  if (p === 'same') {
    const ph = samePadding(h, kh, sh, dh);
    const pw = samePadding(w, kw, sw, dw);
    return { top: ph.before, bottom: ph.after, left: pw.before, right: pw.after };
  }
  if (typeof p === 'number') {
    nonNegativeInt(path, 'padding', p);
    return { top: p, bottom: p, left: p, right: p };
  }
  if (Array.isArray(p) && p.length === 2) {
    p.forEach((v) => nonNegativeInt(path, 'padding', v));
    return { top: p[0]!, bottom: p[0]!, left: p[1]!, right: p[1]! };
  }
  if (Array.isArray(p) && p.length === 4) {
    p.forEach((v) => nonNegativeInt(path, 'padding', v));
    return { top: p[0]!, bottom: p[1]!, left: p[2]!, right: p[3]! };
  }
  throw new SpecError(path, `padding must be a number, [h, w], [top, bottom, left, right], 'same' or 'valid'; got ${JSON.stringify(p)}`);
}
