/**
 * The bank JSON Schema (content/schema/bank.schema.json) read against a YAML document, for the
 * code editor: what the schema says at a path (completion, hover), what it refuses (diagnostics),
 * and where a path or a BankError sits in the text. Pure (no CodeMirror, no DOM): unit-tested in
 * code-editor-schema.test.ts. Reads the schema generically (the keywords the zod export writes),
 * so a new item kind or field shows up without a change here. See decision 0027.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { BankError } from '../../../engine/bank/parse';

export interface JsonSchema {
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  type?: string;
  const?: unknown;
  enum?: unknown[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  /** Ours, added by withFamilies: a short label per enum value (a family's title). */
  'x-labels'?: Record<string, string>;
}

export type Path = (string | number)[];

/** A problem the schema finds, at a path (`key`: at the key itself, for an unknown key). */
export interface SchemaIssue {
  path: Path;
  message: string;
  key?: boolean;
}

/** A diagnostic in text offsets. */
export interface TextProblem {
  from: number;
  to: number;
  message: string;
  /** Where it came from: the YAML parser, the JSON Schema, or the server's bank check. */
  source: 'yaml' | 'schema' | 'engine';
}

const MESSAGES = {
  type: (types: string[]) => `expected ${types.map((t) => (t === 'object' ? 'a map' : t === 'array' ? 'a list' : `a ${t}`)).join(' or ')}`,
  oneOf: (values: unknown[]) => `must be one of: ${values.map((v) => String(v)).join(', ')}`,
  notAllowed: (value: unknown, values: unknown[]) => `'${String(value)}' is not allowed here; one of: ${values.map((v) => String(v)).join(', ')}`,
  missing: (key: string) => `missing required key '${key}'`,
  unknownKey: (key: string, allowed: string[]) => `unknown key '${key}'${allowed.length ? `; allowed here: ${allowed.join(', ')}` : ''}`,
  empty: 'must not be empty',
  tooLong: (n: number) => `at most ${n.toLocaleString('en-US')} characters`,
  pattern: (p: string) => `does not match the pattern ${p}`,
  min: (n: number) => `must be ≥ ${n}`,
  max: (n: number) => `must be ≤ ${n}`,
  minItems: (n: number) => `needs at least ${n} ${n === 1 ? 'entry' : 'entries'}`,
  maxItems: (n: number) => `at most ${n} entries`,
} as const;

/** The schema with the engine's family ids as the allowed values of every `family` field (the file only gives a pattern). */
export function withFamilies(schema: JsonSchema, families: readonly { id: string; title: string }[]): JsonSchema {
  const copy = structuredClone(schema);
  const visit = (s: JsonSchema) => {
    const family = s.properties?.family;
    if (family && family.type === 'string' && !family.enum) {
      family.enum = families.map((f) => f.id);
      family['x-labels'] = Object.fromEntries(families.map((f) => [f.id, f.title]));
    }
  };
  visit(copy);
  for (const def of Object.values(copy.$defs ?? {})) visit(def);
  return copy;
}

function resolve(root: JsonSchema, s: JsonSchema): JsonSchema {
  let at = s;
  for (let hops = 0; at.$ref && hops < 16; hops++) {
    const name = /^#\/\$defs\/(.+)$/.exec(at.$ref)?.[1];
    const target = name ? root.$defs?.[name] : undefined;
    if (!target) break;
    // A $ref beside a description keeps the nearer description.
    at = at.description && !target.description ? { ...target, description: at.description } : { ...target, ...(at.description && { description: at.description }) };
  }
  return at;
}

function typeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(type: string | undefined, value: unknown): boolean {
  if (type === undefined || value === undefined) return true;
  const actual = typeOf(value);
  return type === actual || (type === 'number' && actual === 'integer');
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The branches of a schema (anyOf flattened, refs resolved) that fit `value` as far as its type and its constant fields tell. */
function branches(root: JsonSchema, s: JsonSchema, value: unknown): JsonSchema[] {
  const r = resolve(root, s);
  if (!r.anyOf) return [r];
  const all = r.anyOf.flatMap((b) => branches(root, b, value)).map((b) => (r.description && !b.description ? { ...b, description: r.description } : b));
  const typed = all.filter((b) => typeMatches(b.type, value));
  const fitting = isObject(value)
    ? typed.filter((b) => Object.entries(b.properties ?? {}).every(([k, p]) => value[k] === undefined || resolve(root, p).const === undefined || resolve(root, p).const === value[k]))
    : typed;
  return fitting.length ? fitting : all;
}

function valueAt(value: unknown, path: Path): unknown {
  let v = value;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isObject(v) && typeof seg === 'string' && Object.prototype.hasOwnProperty.call(v, seg)) v = v[seg];
    else return undefined;
  }
  return v;
}

/** The schemas that describe the value at `path` of the document `value`. */
export function schemasAt(root: JsonSchema, value: unknown, path: Path): JsonSchema[] {
  let here = branches(root, root, value);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const child = valueAt(value, path.slice(0, i + 1));
    const next: JsonSchema[] = [];
    for (const s of here) {
      if (typeof seg === 'number' && s.items) next.push(...branches(root, s.items, child));
      else if (typeof seg === 'string') {
        const p = s.properties?.[seg] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
        if (p) next.push(...branches(root, p, child));
      }
    }
    here = next;
  }
  return here;
}

/** The keys the schemas at a map allow, in schema order, without duplicates. */
export function keysAt(root: JsonSchema, value: unknown, path: Path): { key: string; description?: string; required: boolean }[] {
  const seen = new Map<string, { key: string; description?: string; required: boolean }>();
  for (const s of schemasAt(root, value, path)) {
    for (const [key, p] of Object.entries(s.properties ?? {})) {
      if (!seen.has(key)) seen.set(key, { key, description: resolve(root, p).description ?? describeType(root, p), required: (s.required ?? []).includes(key) });
    }
  }
  return [...seen.values()];
}

/** The values the schemas allow at a path, when they are a closed list (enum, const, boolean). */
export function valuesAt(root: JsonSchema, value: unknown, path: Path): { value: string; label?: string }[] {
  const out = new Map<string, string | undefined>();
  const parentValue = valueAt(value, path.slice(0, -1));
  const withoutHere = isObject(parentValue) ? { ...parentValue } : parentValue;
  if (isObject(withoutHere)) delete withoutHere[String(path[path.length - 1])];
  // The value being typed must not narrow the branches it is completed against.
  const doc = path.length ? setAt(value, path.slice(0, -1), withoutHere) : undefined;
  for (const s of schemasAt(root, doc, path)) {
    const labels = s['x-labels'] ?? {};
    for (const v of s.enum ?? []) out.set(String(v), labels[String(v)]);
    if (s.const !== undefined) out.set(String(s.const), undefined);
    if (s.type === 'boolean') ['true', 'false'].forEach((b) => out.set(b, undefined));
  }
  return [...out].map(([v, label]) => ({ value: v, ...(label !== undefined && { label }) }));
}

function setAt(value: unknown, path: Path, leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  if (Array.isArray(value) && typeof head === 'number') return value.map((v, i) => (i === head ? setAt(v, rest, leaf) : v));
  if (isObject(value) && typeof head === 'string') return { ...value, [head]: setAt(value[head], rest, leaf) };
  return value;
}

/** What hover shows: the description, else the type. */
export function describeAt(root: JsonSchema, value: unknown, path: Path): string | null {
  const schemas = schemasAt(root, value, path);
  const text = schemas.map((s) => s.description).find((d) => d);
  if (text) return text;
  return (schemas.length && describeType(root, schemas[0]!)) || null;
}

function describeType(root: JsonSchema, s: JsonSchema): string | undefined {
  const r = resolve(root, s);
  if (r.enum) return MESSAGES.oneOf(r.enum.slice(0, 12)) + (r.enum.length > 12 ? ', …' : '');
  if (r.const !== undefined) return `always ${String(r.const)}`;
  return r.type;
}

/** Everything the schema refuses in `value`, each at its path. */
export function validate(root: JsonSchema, value: unknown): SchemaIssue[] {
  return check(root, root, value, []);
}

function check(root: JsonSchema, schema: JsonSchema, value: unknown, path: Path): SchemaIssue[] {
  const s = resolve(root, schema);
  if (s.anyOf) {
    const options = s.anyOf.flatMap((b) => branches(root, b, undefined));
    if (options.every((o) => o.const !== undefined)) {
      return options.some((o) => o.const === value) ? [] : [{ path, message: MESSAGES.oneOf(options.map((o) => o.const)) }];
    }
    const typed = options.filter((o) => typeMatches(o.type, value));
    if (typed.length === 0) return [{ path, message: MESSAGES.type([...new Set(options.map((o) => o.type ?? 'value'))]) }];
    // Discriminated by a constant field (`kind`): a value that names no branch is wrong there, once.
    if (isObject(value)) {
      const discriminator = Object.keys(typed[0]!.properties ?? {}).find((k) => typed.every((o) => o.properties?.[k] && resolve(root, o.properties[k]!).const !== undefined));
      if (discriminator && typed.length > 1) {
        const consts = typed.map((o) => resolve(root, o.properties![discriminator]!).const);
        if (value[discriminator] === undefined) return [{ path, message: MESSAGES.missing(discriminator) }];
        const chosen = typed.filter((o) => resolve(root, o.properties![discriminator]!).const === value[discriminator]);
        if (chosen.length === 0) return [{ path: [...path, discriminator], message: MESSAGES.oneOf(consts) }];
        return check(root, chosen[0]!, value, path);
      }
    }
    let best: SchemaIssue[] | null = null;
    for (const o of typed) {
      const issues = check(root, o, value, path);
      if (issues.length === 0) return [];
      if (!best || issues.length < best.length) best = issues;
    }
    return best ?? [];
  }
  if (!typeMatches(s.type, value) || (s.type && value === undefined)) return s.type ? [{ path, message: MESSAGES.type([s.type]) }] : [];
  if (s.const !== undefined && value !== s.const) return [{ path, message: MESSAGES.oneOf([s.const]) }];
  if (s.enum && !s.enum.includes(value)) return [{ path, message: MESSAGES.notAllowed(value, s.enum) }];
  const issues: SchemaIssue[] = [];
  if (typeof value === 'string') {
    if (s.minLength !== undefined && value.length < s.minLength) issues.push({ path, message: MESSAGES.empty });
    if (s.maxLength !== undefined && value.length > s.maxLength) issues.push({ path, message: MESSAGES.tooLong(s.maxLength) });
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(value)) issues.push({ path, message: MESSAGES.pattern(s.pattern) });
  }
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) issues.push({ path, message: MESSAGES.min(s.minimum) });
    if (s.maximum !== undefined && value > s.maximum) issues.push({ path, message: MESSAGES.max(s.maximum) });
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) issues.push({ path, message: MESSAGES.minItems(s.minItems) });
    if (s.maxItems !== undefined && value.length > s.maxItems) issues.push({ path, message: MESSAGES.maxItems(s.maxItems) });
    if (s.items) value.forEach((v, i) => issues.push(...check(root, s.items!, v, [...path, i])));
  }
  if (isObject(value)) {
    for (const key of s.required ?? []) if (value[key] === undefined) issues.push({ path, message: MESSAGES.missing(key) });
    for (const [key, v] of Object.entries(value)) {
      const p = s.properties?.[key];
      if (p) issues.push(...check(root, p, v, [...path, key]));
      else if (s.additionalProperties === false) issues.push({ path: [...path, key], key: true, message: MESSAGES.unknownKey(key, Object.keys(s.properties ?? {})) });
      else if (typeof s.additionalProperties === 'object') {
        if (s.propertyNames) issues.push(...check(root, s.propertyNames, key, [...path, key]).map((i) => ({ ...i, key: true })));
        issues.push(...check(root, s.additionalProperties, v, [...path, key]));
      }
    }
  }
  return issues;
}

/** The YAML node at a path: its value, or with `key` its key; for a missing key, its parent. */
export function nodeAt(doc: Document, path: Path, key = false): YamlNode | null {
  let node: unknown = doc.contents;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return node as YamlNode;
      if (key && i === path.length - 1 && isScalar(pair.key)) return pair.key;
      // `family:` with nothing after it: the key is where the value would be.
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof seg === 'number') {
      const next = node.items[seg];
      if (next === undefined || next === null) return node as YamlNode;
      node = next;
    } else break;
  }
  return (node as YamlNode | null) ?? null;
}

/** Text range of a node, the whole first line of a collection (a map's range spans all its lines). */
function rangeOf(text: string, node: YamlNode | null): { from: number; to: number } | null {
  if (!node?.range) return null;
  const from = node.range[0];
  if (isMap(node) || isSeq(node)) {
    const eol = text.indexOf('\n', from);
    return { from, to: eol < 0 ? text.length : eol };
  }
  return { from, to: Math.max(from + 1, node.range[1]) };
}

/** The first-line offset of line:column (1-based). */
export function offsetOf(text: string, line: number, column = 1): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  const eol = text.indexOf('\n', offset);
  return Math.min(eol < 0 ? text.length : eol, offset + column - 1);
}

export interface ParsedText {
  doc: Document;
  /** The plain value, or undefined when the YAML does not parse. */
  value: unknown;
  /** The first YAML syntax error (the ones after it are the parser's cascade; engine/bank/parse.ts does the same). */
  syntax: TextProblem | null;
}

export function parseText(text: string): ParsedText {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true, merge: false });
  const first = [...doc.errors, ...doc.warnings].sort((a, b) => a.pos[0] - b.pos[0])[0];
  if (first) {
    const from = Math.min(first.pos[0], text.length);
    const syntax: TextProblem = { from, to: Math.min(text.length, Math.max(first.pos[1], from + 1)), message: first.message.split('\n')[0]!, source: 'yaml' };
    return { doc, value: undefined, syntax };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 20 });
  } catch {
    value = undefined;
  }
  return { doc, value, syntax: null };
}

/** The schema's problems with the text, at their ranges (nothing but the first syntax error when the YAML does not parse). */
export function schemaProblems(root: JsonSchema, text: string, parsed = parseText(text)): TextProblem[] {
  if (parsed.syntax) return [parsed.syntax];
  if (parsed.value === undefined || parsed.value === null) return [];
  return validate(root, parsed.value).map((issue) => {
    const range = rangeOf(text, nodeAt(parsed.doc, issue.path, issue.key)) ?? { from: 0, to: Math.min(text.length, 1) };
    return { ...range, message: issue.message, source: 'schema' as const };
  });
}

/** `bank.yaml: items[3].ranges["a b"]` → ['items', 3, 'ranges', 'a b']; `items.<id>` (the publishing gate's) is kept as written. */
export function pathOf(errorPath: string): Path | null {
  const at = errorPath.indexOf(': ');
  if (at < 0) {
    const gate = /^items\.([a-z0-9-]+)$/.exec(errorPath);
    return gate ? ['items', gate[1]!] : null;
  }
  const rest = errorPath.slice(at + 2);
  const path: Path = [];
  const re = /(?:^|\.)([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(rest))) path.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]!) as string)));
  return re.lastIndex === 0 && rest.length > 0 && path.length === 0 ? null : path;
}

/**
 * Where a bank check error sits in the current text: its path through the YAML document's node
 * ranges, else its line. `itemOffset`: the index of the text's first item in its bank (a page of
 * a long bank), for errors whose path counts over the whole bank. Null when it points nowhere.
 */
export function engineProblem(text: string, parsed: ParsedText, error: BankError, itemOffset = 0): TextProblem {
  let path = pathOf(error.path);
  // The gate names an item by id (`items.<id>`): find it in the list.
  if (path && path[0] === 'items' && typeof path[1] === 'string' && path.length === 2) {
    const items = (parsed.value as { items?: { id?: unknown }[] } | undefined)?.items;
    const index = Array.isArray(items) ? items.findIndex((i) => i?.id === path![1]) : -1;
    path = index >= 0 ? ['items', index] : null;
  } else if (path && error.line === undefined && path[0] === 'items' && typeof path[1] === 'number') {
    path = ['items', path[1] - itemOffset, ...path.slice(2)];
  }
  const node = path && path.length ? nodeAt(parsed.doc, path, /^unknown key/.test(error.message)) : null;
  const byPath = rangeOf(text, node);
  const message = error.message;
  if (error.line !== undefined) {
    const from = offsetOf(text, error.line, error.column ?? 1);
    // The path's node when it starts on the error's line (more exact: its whole extent); else the line.
    if (byPath && offsetOf(text, error.line, 1) <= byPath.from && byPath.from <= offsetOf(text, error.line + 1, 1)) return { ...byPath, message, source: 'engine' };
    const eol = text.indexOf('\n', from);
    return { from, to: Math.max(from + 1, eol < 0 ? text.length : eol), message, source: 'engine' };
  }
  if (byPath) return { ...byPath, message, source: 'engine' };
  return { from: 0, to: Math.min(text.length, Math.max(1, text.indexOf('\n'))), message, source: 'engine' };
}

/**
 * One problem per cause: the server's check and the schema often see the same mistake (an
 * unknown family, a syntax error); where they overlap on a line the engine's message is kept.
 */
export function mergeProblems(text: string, local: readonly TextProblem[], engine: readonly TextProblem[]): TextProblem[] {
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  const engineLines = new Set(engine.map((p) => lineOf(p.from)));
  const seen = new Set<string>();
  return [...engine, ...local.filter((p) => !engineLines.has(lineOf(p.from)))].filter((p) => {
    const k = `${p.from}:${p.to}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A map key in the text: its line, column, and path. */
interface KeyPlace {
  line: number;
  column: number;
  path: Path;
  /** The key starts its list entry (`- key:`). */
  dashed: boolean;
}

function keyPlaces(text: string, doc: Document): KeyPlace[] {
  const out: KeyPlace[] = [];
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const where = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  const walk = (node: unknown, path: Path) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) continue;
        const { line, column } = where(pair.key.range[0]);
        const before = text.slice(lineStarts[line - 1]!, pair.key.range[0]);
        out.push({ line, column, path: [...path, String(pair.key.value)], dashed: /-\s+$/.test(before) });
        walk(pair.value, [...path, String(pair.key.value)]);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, i]));
  };
  walk(doc.contents, []);
  return out;
}

export type CompletionContext =
  | { kind: 'value'; path: Path; from: number }
  | { kind: 'key'; path: Path; from: number; present: string[] };

/** What is being typed at `pos`: a value after `key:`, or a key at the start of a line. */
export function completionContext(text: string, pos: number, parsed = parseText(text)): CompletionContext | null {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  const before = text.slice(lineStart, pos);
  const lineNumber = text.slice(0, lineStart).split('\n').length;
  const value = /^(\s*(?:-\s+)?)([A-Za-z_][\w-]*):\s+([^\s#'"]*)$/.exec(before);
  if (value) {
    const places = keyPlaces(text, parsed.doc);
    const column = value[1]!.length + 1;
    const place = places.find((p) => p.line === lineNumber && p.column === column);
    if (!place) return null;
    return { kind: 'value', path: place.path, from: pos - value[3]!.length };
  }
  const key = /^(\s*)(-\s+)?([A-Za-z_][\w-]*)?$/.exec(before);
  if (!key) return null;
  const column = key[1]!.length + (key[2]?.length ?? 0) + 1;
  const from = pos - (key[3]?.length ?? 0);
  // A half-typed key is a syntax error: read the rest of the text without its line (the lines above keep their numbers).
  let source = text;
  if (parsed.value === undefined) {
    const lineEnd = text.indexOf('\n', pos);
    source = text.slice(0, lineStart) + (lineEnd < 0 ? '' : text.slice(lineEnd + 1));
    parsed = parseText(source);
  }
  // The map this key belongs to: a key above at the same column (a sibling), else the key it is nested under.
  const places = keyPlaces(source, parsed.doc);
  for (const p of [...places].reverse()) {
    if (p.line >= lineNumber) continue;
    if (p.column === column) {
      const parent = p.path.slice(0, -1);
      if (key[2]) {
        // `- ` starts a new entry of the list the sibling's entry is in.
        const list = parent.slice(0, -1);
        const index = typeof parent[parent.length - 1] === 'number' ? (parent[parent.length - 1] as number) + 1 : 0;
        return { kind: 'key', path: [...list, index], from, present: [] };
      }
      return { kind: 'key', path: parent, from, present: presentKeys(parsed.value, parent) };
    }
    if (p.column < column) {
      const list = valueAt(parsed.value, p.path);
      if (key[2] || Array.isArray(list)) return { kind: 'key', path: [...p.path, Array.isArray(list) ? list.length : 0], from, present: [] };
      return { kind: 'key', path: p.path, from, present: presentKeys(parsed.value, p.path) };
    }
  }
  return column === 1 ? { kind: 'key', path: [], from, present: presentKeys(parsed.value, []) } : null;
}

function presentKeys(value: unknown, path: Path): string[] {
  const v = valueAt(value, path);
  return isObject(v) ? Object.keys(v) : [];
}

/** The path of the key under `pos` (hover), or null. */
export function pathAtPosition(text: string, pos: number, parsed = parseText(text)): Path | null {
  let found: Path | null = null;
  const walk = (node: unknown, path: Path) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) continue;
        const here = [...path, String(pair.key.value)];
        const end = (pair.value as YamlNode | null)?.range?.[1] ?? pair.key.range[1];
        if (pos >= pair.key.range[0] && pos <= end) {
          found = here;
          walk(pair.value, here);
        }
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, i]));
  };
  walk(parsed.doc.contents, []);
  return found;
}
