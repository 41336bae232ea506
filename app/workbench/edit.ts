/**
 * Editing a spec in the workbench: pure, immutable operations addressed by JSON paths into the
 * spec (['layers', 2, 'body', 0]), and the engine's path of every layer (the names analysis rows
 * and SpecErrors carry), so an error is shown at the layer that causes it.
 */
import { LayerPaths } from '../../engine/layer-paths';
import { pair, type Layer, type LayerKind, type Padding, type Spec } from '../../engine/spec';

/** A path into the spec's JSON: keys and list indices. */
export type JsonPath = readonly (string | number)[];

export const EMPTY_SPEC: Spec = { input: [32, 32, 3], layers: [] };

/** The kinds the "add a layer" menu offers, in its order. */
export const ADDABLE_KINDS: readonly LayerKind[] = ['conv', 'maxpool', 'avgpool', 'relu', 'batchnorm', 'dropout', 'lrn', 'globalavgpool', 'adaptiveavgpool', 'flatten', 'dense', 'concat', 'residual', 'block'];

/** A fresh layer of a kind, valid on most inputs (convs keep the size: padding same). */
export function newLayer(kind: LayerKind, index = 1): Layer {
  switch (kind) {
    case 'conv':
      return { kind, filters: 16, kernel: 3, stride: 1, padding: 'same' };
    case 'maxpool':
    case 'avgpool':
      return { kind, kernel: 2, stride: 2 };
    case 'dense':
      return { kind, units: 10 };
    case 'dropout':
      return { kind, rate: 0.5 };
    case 'adaptiveavgpool':
      return { kind, output: 1 };
    case 'concat':
      return { kind, branches: [[{ kind: 'conv', filters: 16, kernel: 1 }], [{ kind: 'conv', filters: 16, kernel: 3, padding: 'same' }]] };
    case 'residual':
      return { kind, body: [{ kind: 'conv', filters: 16, kernel: 3, padding: 'same' }, { kind: 'relu' }] };
    case 'block':
      return { kind, name: `block${index}`, layers: [] };
    default:
      return { kind } as Layer;
  }
}

export function getAt(root: unknown, path: JsonPath): unknown {
  let at: unknown = root;
  for (const key of path) at = (at as Record<string | number, unknown> | undefined)?.[key];
  return at;
}

/** A copy of `root` with `value` at `path` (undefined removes an object key). */
export function setAt<T>(root: T, path: JsonPath, value: unknown): T {
  if (path.length === 0) return value as T;
  const [key, ...rest] = path;
  if (Array.isArray(root)) {
    const copy = root.slice();
    copy[key as number] = setAt(copy[key as number], rest, value);
    return copy as T;
  }
  const copy = { ...(root as Record<string, unknown>) };
  const next = setAt(copy[key as string], rest, value);
  if (next === undefined) delete copy[key as string];
  else copy[key as string] = next;
  return copy as T;
}

/** Set (or, with undefined, remove) fields of the layer at `path`. */
export function updateLayer(spec: Spec, path: JsonPath, patch: Record<string, unknown>): Spec {
  const layer = { ...(getAt(spec, path) as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete layer[k];
    else layer[k] = v;
  }
  return setAt(spec, path, layer);
}

/** Insert into the list at `listPath` before `index`. */
export function insertAt(spec: Spec, listPath: JsonPath, index: number, value: unknown): Spec {
  const list = ((getAt(spec, listPath) as unknown[] | undefined) ?? []).slice();
  list.splice(index, 0, value);
  return setAt(spec, listPath, list);
}

export function removeAt(spec: Spec, listPath: JsonPath, index: number): Spec {
  const list = (getAt(spec, listPath) as unknown[]).slice();
  list.splice(index, 1);
  return setAt(spec, listPath, list);
}

export function moveAt(spec: Spec, listPath: JsonPath, index: number, delta: -1 | 1): Spec {
  const list = (getAt(spec, listPath) as unknown[]).slice();
  const to = index + delta;
  if (to < 0 || to >= list.length) return spec;
  [list[index], list[to]] = [list[to], list[index]];
  return setAt(spec, listPath, list);
}

/**
 * A projection shortcut for a residual whose body changes the shape: a 1×1 conv with the body's
 * last conv's filters and the product of the body's strides (ResNet's option B).
 */
export function projectionFor(layer: Extract<Layer, { kind: 'residual' }>): Layer[] {
  let filters = 0;
  let stride = 1;
  const walk = (layers: readonly Layer[]) => {
    for (const l of layers) {
      if (l.kind === 'conv') {
        filters = l.filters;
        stride *= pair(l.stride, 1)[0];
      } else if (l.kind === 'maxpool' || l.kind === 'avgpool') stride *= pair(l.stride ?? l.kernel, 1)[0];
      else if (l.kind === 'block') walk(l.layers);
    }
  };
  walk(layer.body);
  return [{ kind: 'conv', filters: filters || 16, kernel: 1, ...(stride > 1 ? { stride } : {}), bias: false }];
}

/** Key of a JSON path in the maps below. */
export const pathKey = (path: JsonPath): string => path.join('.');

/**
 * The engine's path of every layer, by the key of its JSON path: the same names the analysis
 * gives its rows (LayerPaths, in the analysis's order: a layer is named before its parts).
 */
export function enginePaths(spec: Spec): Map<string, string> {
  const out = new Map<string, string>();
  const paths = new LayerPaths();
  const sequence = (layers: readonly Layer[] | undefined, scope: string, at: JsonPath) => {
    if (!Array.isArray(layers)) return;
    const name = paths.namer(scope);
    layers.forEach((layer, i) => {
      const here = [...at, i];
      const path = name(layer);
      out.set(pathKey(here), path);
      if (layer.kind === 'block') sequence(layer.layers, path, [...here, 'layers']);
      else if (layer.kind === 'concat') layer.branches.forEach((b: readonly Layer[], j: number) => b.length > 0 && sequence(b, `${path}/branch${j + 1}`, [...here, 'branches', j]));
      else if (layer.kind === 'residual') {
        sequence(layer.body, path, [...here, 'body']);
        if (layer.shortcut && layer.shortcut.length > 0) sequence(layer.shortcut, `${path}/shortcut`, [...here, 'shortcut']);
      }
    });
  };
  sequence(spec.layers, '', ['layers']);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Field text: what a person types for a Pair or a Padding, read back

/** "3" → 3, "3,5" or "3×5" → [3, 5]; null when not one or two whole numbers ≥ 0. */
export function readPair(text: string): number | [number, number] | null {
  const parts = text.trim().split(/\s*[,×x]\s*/);
  if (parts.length > 2 || parts.some((p) => !/^\d{1,5}$/.test(p))) return null;
  const [a, b] = parts.map(Number) as [number, number?];
  return b === undefined || a === b ? a : [a, b];
}

/** A Pair as typed. */
export function pairText(p: number | readonly [number, number] | undefined, fallback: number): string {
  const [a, b] = pair(p, fallback);
  return a === b ? String(a) : `${a},${b}`;
}

/** "same", "valid", "1", "1,2" or "0,1,0,1" → a Padding; null otherwise. */
export function readPadding(text: string): Padding | null {
  const t = text.trim().toLowerCase();
  if (t === 'same' || t === 'valid') return t;
  const parts = t.split(/\s*,\s*/);
  if (![1, 2, 4].includes(parts.length) || parts.some((p) => !/^\d{1,5}$/.test(p))) return null;
  const n = parts.map(Number);
  return n.length === 1 ? n[0]! : (n as unknown as Padding);
}

export function paddingText(p: number | string | readonly number[] | undefined): string {
  if (p === undefined) return '0';
  return Array.isArray(p) ? p.join(',') : String(p);
}
