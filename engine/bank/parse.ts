/**
 * Bank files (text) → a validated Bank, or every error found, each with a path a person can
 * follow ("alexnet.yaml: items[3].ranges.filters") and, where known, its line and column.
 *
 * Pure: the caller reads the files. Hostile input is refused, never thrown on: oversized files,
 * deep nesting, alias bombs, custom tags, duplicate keys and prototype keys are caught before
 * zod sees the tree; zod then checks the shape with strict objects and capped sizes.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { ZodError } from 'zod';
import { families as registry } from '../families';
import { domainViolation, rangeBounds, rangeProblem } from '../families/draw';
import type { Family } from '../question';
import { CLOZE_DELETION } from './cloze';
import { networkItemProblems } from './item';
import {
  bankManifestSchema,
  basicItemSchema,
  choiceItemSchema,
  choiceOptionSchema,
  clozeItemSchema,
  forbiddenKeys,
  generatedItemSchema,
  itemFileSchema,
  itemSchema,
  LIMITS,
  toleranceSchema,
  type Bank,
  type BankItem,
  type ChoiceItem,
  type ClozeItem,
  type GeneratedItem,
} from './schema';

export interface BankFile {
  /** Path relative to the bank folder ("bank.yaml", "alexnet.yaml"), used in error paths. */
  name: string;
  text: string;
}

export interface BankError {
  /** `<file>: <path in the file>`, e.g. `alexnet.yaml: items[3].ranges.filters`. */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/** Where an item was written, for messages about it after parsing (sampling, analytics). */
export interface ItemLocation {
  file: string;
  index: number;
  /** `alexnet.yaml: items[3]` */
  path: string;
  line?: number;
}

export type ParseResult =
  | { ok: true; bank: Bank; locations: Record<string, ItemLocation> }
  | { ok: false; errors: BankError[] };

/** What parse needs to know of a family: its id and the parameters a bank may set. */
export type FamilyDescriptor = Pick<Family, 'id' | 'parameters'>;

export interface ParseOptions {
  /** The families generated items may use (ids and parameter names are checked); the engine's registry by default. */
  families?: readonly FamilyDescriptor[];
}

/** The manifest's file name in a bank folder. */
export const MANIFEST_NAME = 'bank.yaml';

/** Errors beyond this many are summarised in one line: a broken file should not flood the editor. */
const MAX_ERRORS = 200;
/** Aliases a file may resolve; a bank has little use for them, a billion-laughs file a lot. */
const MAX_ALIAS_COUNT = 20;

const MESSAGES = {
  tooBig: (bytes: number) => `file is ${bytes.toLocaleString('en-US')} bytes or more; the limit is ${LIMITS.fileBytes.toLocaleString('en-US')} bytes (2 MB)`,
  tooDeep: `collections nest deeper than ${LIMITS.depth} levels`,
  forbiddenKey: (key: string) => `key '${key}' is not allowed (it could reach an object's prototype)`,
  tag: (tag: string) => `YAML tag '${tag}' is not allowed: banks are plain data (strings, numbers, lists, maps)`,
  complexKey: 'keys must be plain strings',
  aliasBomb: `too many YAML aliases (more than ${MAX_ALIAS_COUNT}); write the values out`,
  empty: 'file is empty',
  tooManyItems: (n: number) => `${n.toLocaleString('en-US')} items; a bank holds at most ${LIMITS.items.toLocaleString('en-US')}`,
} as const;

/** Validate bank files. Never throws: any failure is an error in the result. */
export function parseBank(input: { files: readonly BankFile[] }, options: ParseOptions = {}): ParseResult {
  const errors = new ErrorList();
  try {
    const bank = parseFiles(input, options.families ?? registry, errors);
    if (bank && errors.count === 0) return { ok: true, ...bank };
  } catch (err) {
    // Deep recursion inside the YAML composer and the like: refuse, don't crash the caller.
    errors.add({ path: '(bank)', message: `could not read the bank: ${err instanceof Error ? err.message : String(err)}` });
  }
  return { ok: false, errors: errors.list() };
}

class ErrorList {
  private readonly items: BankError[] = [];
  count = 0;
  add(error: BankError): void {
    this.count++;
    if (this.items.length < MAX_ERRORS) this.items.push(error);
  }
  list(): BankError[] {
    const more = this.count - this.items.length;
    return more > 0 ? [...this.items, { path: '(bank)', message: `… and ${more.toLocaleString('en-US')} more errors` }] : this.items;
  }
}

function parseFiles(
  input: { files: readonly BankFile[] },
  families: readonly FamilyDescriptor[] | undefined,
  errors: ErrorList,
): { bank: Bank; locations: Record<string, ItemLocation> } | null {
  const files = input?.files;
  if (!Array.isArray(files) || files.length === 0) {
    errors.add({ path: '(bank)', message: `a bank is a ${MANIFEST_NAME} file, or a folder with ${MANIFEST_NAME} and item files; no files were given` });
    return null;
  }
  if (files.length > LIMITS.files) {
    errors.add({ path: '(bank)', message: `${files.length} files; a bank folder holds at most ${LIMITS.files}` });
    return null;
  }
  const names = new Set<string>();
  for (const f of files) {
    if (typeof f?.name !== 'string' || typeof f.text !== 'string') {
      errors.add({ path: '(bank)', message: 'every file needs a name and a text' });
      return null;
    }
    if (names.has(f.name)) errors.add({ path: f.name, message: 'file given twice' });
    names.add(f.name);
  }
  const isManifest = (f: BankFile) => f.name === MANIFEST_NAME || f.name.endsWith(`/${MANIFEST_NAME}`);
  const manifests = files.length === 1 ? files : files.filter(isManifest);
  if (manifests.length !== 1) {
    errors.add({ path: '(bank)', message: manifests.length === 0 ? `a bank folder needs a ${MANIFEST_NAME} (id, title, description, version)` : `more than one ${MANIFEST_NAME}` });
    return null;
  }
  const manifestFile = manifests[0]!;
  // Code-unit order, not locale order: the same on every machine.
  const itemFiles = files.filter((f) => f !== manifestFile).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const manifestTree = readYaml(manifestFile, errors);
  const manifestFile_ = manifestTree && validateFile(manifestTree, 'manifest', errors);
  const items: { item: BankItem; location: ItemLocation; tree: YamlTree }[] = [];
  const ids: { file: string; index: number; id: string }[] = [];
  let itemCount = 0;
  const collect = (tree: YamlTree, file: ValidatedFile) => {
    for (const { index, item } of file.items) {
      const node = nodeAt(tree.doc, ['items', index]);
      const line = node?.range ? tree.lines.linePos(node.range[0]).line : undefined;
      items.push({ item, tree, location: { file: tree.name, index, path: formatPath(tree.name, ['items', index]), ...(line !== undefined && { line }) } });
    }
    ids.push(...file.ids.map(({ index, id }) => ({ file: tree.name, index, id })));
    itemCount += file.count;
  };
  if (manifestFile_ && manifestTree) collect(manifestTree, manifestFile_);
  for (const file of itemFiles) {
    const tree = readYaml(file, errors);
    const parsed = tree && validateFile(tree, 'items', errors);
    if (parsed && tree) collect(tree, parsed);
  }
  if (itemCount > LIMITS.items) errors.add({ path: '(bank)', message: MESSAGES.tooManyItems(itemCount) });

  const familyById = families ? new Map(families.map((f) => [f.id, f])) : null;
  for (const { item, location, tree } of items) {
    const report = (path: (string | number)[], message: string) => {
      const full = ['items', location.index, ...path];
      const node = nodeAt(tree.doc, full);
      const pos = node?.range ? tree.lines.linePos(node.range[0]) : undefined;
      errors.add({ path: formatPath(location.file, full), message, ...(pos && { line: pos.line, column: pos.col }) });
    };
    if ((forbiddenKeys as readonly string[]).includes(item.id)) report(['id'], `id '${item.id}' is reserved`);
    for (const problem of itemProblems(item, familyById)) report(problem.path, problem.message);
  }
  // Duplicates over every id written, valid item or not: a clash is worth knowing at once.
  const firstSeen = new Map<string, string>();
  for (const { file, index, id } of ids) {
    const path = formatPath(file, ['items', index, 'id']);
    const seen = firstSeen.get(id);
    if (seen) errors.add({ path, message: `duplicate id '${id}' (first used at ${seen}); ids are unique within a bank` });
    else firstSeen.set(id, formatPath(file, ['items', index]));
  }
  const m = manifestFile_?.manifest;
  if (!m || errors.count > 0) return null;
  return {
    bank: { id: m.id, title: m.title, description: m.description, version: m.version, items: items.map((i) => i.item) },
    locations: Object.fromEntries(items.map((i) => [i.item.id, i.location])),
  };
}

interface YamlTree {
  name: string;
  doc: Document;
  lines: LineCounter;
  value: unknown;
}

/** Text → plain JS tree, refusing what a bank never needs and a hostile file might use. */
function readYaml(file: BankFile, errors: ErrorList): YamlTree | null {
  // UTF-8 takes at least one byte per UTF-16 unit: a long text is refused without counting.
  const bytes = file.text.length > LIMITS.fileBytes ? null : utf8Length(file.text);
  if (bytes === null || bytes > LIMITS.fileBytes) {
    errors.add({ path: file.name, message: MESSAGES.tooBig(bytes ?? file.text.length) });
    return null;
  }
  const lines = new LineCounter();
  const deep = firstTooDeep(file.text);
  if (deep !== null) {
    errors.add(withPosition({ path: file.name, message: MESSAGES.tooDeep }, positionIn(file.text, deep)));
    return null;
  }
  const doc = parseDocument(file.text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    schema: 'core',
    merge: false,
    strict: true,
  });
  // Only the first: after a syntax error the parser misreads the rest of the file, so one typo
  // would list a dozen errors (two per line below it) that all go away with it.
  const first = [...doc.errors, ...doc.warnings].sort((a, b) => a.pos[0] - b.pos[0])[0];
  if (first) {
    const pos = lines.linePos(first.pos[0]);
    errors.add({ path: `${file.name}:${pos.line}:${pos.col}`, message: yamlMessage(first.code, first.message), line: pos.line, column: pos.col });
    return null;
  }
  const before = errors.count;
  walkTree(doc, file.name, lines, errors);
  if (errors.count > before) return null;
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const bomb = err instanceof ReferenceError && /alias/i.test(err.message);
    errors.add({ path: file.name, message: bomb ? MESSAGES.aliasBomb : `could not read: ${err instanceof Error ? err.message : String(err)}` });
    return null;
  }
  if (value === null || value === undefined) {
    errors.add({ path: file.name, message: MESSAGES.empty });
    return null;
  }
  return { name: file.name, doc, lines, value };
}

function yamlMessage(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'duplicate key: each key may appear once in a map';
  if (code === 'TAG_RESOLVE_FAILED') return `${message}: custom tags are not allowed`;
  return message;
}

/** UTF-8 byte length without allocating a copy. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Offset of the first token that nests collections deeper than LIMITS.depth, or null.
 * The YAML composer recurses per level, so a file of 10⁶ '[' must be stopped before it.
 * The lexer is a flat generator: counting its flow brackets and block indicators is safe.
 */
function firstTooDeep(text: string): number | null {
  let flow = 0;
  let indicatorsOnLine = 0;
  let atLineStart = true;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') flow++;
    else if (token === ']' || token === '}') flow = Math.max(0, flow - 1);
    else if (token === '-' || token === '?') indicatorsOnLine++;
    else if (atLineStart && /^ +$/.test(token) && token.length > MAX_INDENT) return offset;
    if (flow > LIMITS.depth || indicatorsOnLine > LIMITS.depth) return offset;
    atLineStart = token === '\n' || token === '\r\n';
    if (atLineStart) indicatorsOnLine = 0;
    if (!LEXER_CONTROL.has(token)) offset += token.length;
  }
  return null;
}

/** The lexer's zero-width tokens (document start, scalar, flow error, BOM). */
const LEXER_CONTROL = new Set(['\x02', '\x18', '\x1f', '\u{FEFF}']);
/** Block nesting shows as indentation; no bank needs 200 columns of it. */
const MAX_INDENT = 200;

function positionIn(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, col: offset - last };
}

function withPosition(error: BankError, pos: { line: number; col: number }): BankError {
  return { ...error, path: `${error.path}:${pos.line}:${pos.col}`, line: pos.line, column: pos.col };
}

/**
 * Walk the YAML node tree (iteratively: depth is already capped, but a stack costs nothing)
 * refusing prototype keys, explicit tags and non-string keys, with the path of each.
 */
function walkTree(doc: Document, file: string, lines: LineCounter, errors: ErrorList): void {
  const stack: { node: unknown; path: (string | number)[] }[] = [{ node: doc.contents, path: [] }];
  const report = (node: YamlNode | null | undefined, path: (string | number)[], message: string) => {
    const pos = node?.range ? lines.linePos(node.range[0]) : undefined;
    errors.add({ path: formatPath(file, path), message, ...(pos && { line: pos.line, column: pos.col }) });
  };
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (!node || isAlias(node)) continue;
    const tagged = node as { tag?: string };
    if ((isScalar(node) || isMap(node) || isSeq(node)) && tagged.tag) report(node as YamlNode, path, MESSAGES.tag(tagged.tag));
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key;
        if (!isScalar(key) || (typeof key.value !== 'string' && typeof key.value !== 'number')) {
          report(isScalar(key) || isMap(key) || isSeq(key) ? (key as YamlNode) : null, path, MESSAGES.complexKey);
          continue;
        }
        const name = String(key.value);
        if ((forbiddenKeys as readonly string[]).includes(name)) {
          report(key, [...path, name], MESSAGES.forbiddenKey(name));
          continue;
        }
        stack.push({ node: pair.value, path: [...path, name] });
      }
    } else if (isSeq(node)) {
      node.items.forEach((child, i) => stack.push({ node: child, path: [...path, i] }));
    }
  }
}

/** `alexnet.yaml: items[3].ranges.filters` */
export function formatPath(file: string, path: readonly PropertyKey[]): string {
  if (path.length === 0) return file;
  let text = '';
  for (const seg of path) {
    if (typeof seg === 'number') text += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) text += text === '' ? seg : `.${seg}`;
    else text += `[${JSON.stringify(String(seg))}]`;
  }
  return `${file}: ${text}`;
}

/** The YAML node at a path (for a missing key, the nearest existing parent). */
function nodeAt(doc: Document, path: readonly PropertyKey[]): YamlNode | null {
  let node: unknown = doc.contents;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return node as YamlNode;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const next = node.items[seg];
      if (next === undefined) return node as YamlNode;
      node = next;
    } else break;
  }
  return (node as YamlNode | null) ?? null;
}

/** The key node of the last segment (an unknown key is reported at the key). */
function keyNodeAt(doc: Document, path: readonly PropertyKey[], key: string): YamlNode | null {
  const parent = nodeAt(doc, path);
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (pair && isScalar(pair.key)) return pair.key;
  }
  return parent;
}

const keysOf = (schema: { shape: Record<string, unknown> }) => Object.keys(schema.shape);
const itemSchemaByKind: Record<string, { shape: Record<string, unknown> }> = {
  basic: basicItemSchema,
  cloze: clozeItemSchema,
  choice: choiceItemSchema,
  generated: generatedItemSchema,
};

/** The keys allowed where an unknown key was found, for a message that says what would be accepted. */
function allowedKeys(kind: 'manifest' | 'items', tree: unknown, path: readonly PropertyKey[]): string[] | null {
  if (path.length === 0) return keysOf(kind === 'manifest' ? bankManifestSchema : itemFileSchema);
  const [first, index, field, sub] = path;
  if (first !== 'items' || typeof index !== 'number') return null;
  const item = (tree as { items?: unknown[] }).items?.[index] as { kind?: unknown } | undefined;
  const schema = typeof item?.kind === 'string' ? itemSchemaByKind[item.kind] : undefined;
  if (path.length === 2) return schema ? keysOf(schema) : null;
  if (field === 'tolerance') return keysOf(toleranceSchema);
  if (field === 'options' && typeof sub === 'number') return keysOf(choiceOptionSchema);
  return null;
}

function valueAt(tree: unknown, path: readonly PropertyKey[]): unknown {
  let v = tree;
  for (const seg of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, seg)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

interface ValidatedFile {
  /** The manifest's fields, when this is a valid manifest. */
  manifest: Omit<Bank, 'items'> | null;
  /** The items that are valid on their own (checked further even when siblings are not). */
  items: { index: number; item: BankItem }[];
  /** How many items the file lists, valid or not. */
  count: number;
  /** Every string id written, valid item or not. */
  ids: { index: number; id: string }[];
}

function validateFile(tree: YamlTree, kind: 'manifest' | 'items', errors: ErrorList): ValidatedFile | null {
  const value = tree.value;
  // zod checks every element before a list's length: refuse a huge list before it does.
  const list = (value as { items?: unknown } | null)?.items;
  if (Array.isArray(list) && list.length > LIMITS.items) {
    errors.add({ path: formatPath(tree.name, ['items']), message: MESSAGES.tooManyItems(list.length) });
    return null;
  }
  const schema = kind === 'manifest' ? bankManifestSchema : itemFileSchema;
  const result = schema.safeParse(value);
  if (!result.success) for (const e of zodErrors(result.error, tree, kind)) errors.add(e);
  const items: ValidatedFile['items'] = [];
  const ids: ValidatedFile['ids'] = [];
  const validItems = result.success ? (result.data as { items?: BankItem[] }).items : undefined;
  if (Array.isArray(list)) {
    list.forEach((raw, index) => {
      // When the file failed, its valid items are still checked further: one bad card should not hide the rest's errors.
      const one = validItems ? { success: true as const, data: validItems[index]! } : itemSchema.safeParse(raw);
      if (one.success) items.push({ index, item: one.data });
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'string') ids.push({ index, id });
    });
  }
  let manifest: ValidatedFile['manifest'] = null;
  if (result.success && kind === 'manifest') {
    const { id, title, description, version } = result.data as Bank;
    manifest = { id, title, description, version };
  }
  return { manifest, items, ids, count: Array.isArray(list) ? list.length : 0 };
}

function zodErrors(error: ZodError, tree: YamlTree, kind: 'manifest' | 'items'): BankError[] {
  const out: BankError[] = [];
  const at = (node: YamlNode | null, path: readonly PropertyKey[], message: string): BankError => {
    const pos = node?.range ? tree.lines.linePos(node.range[0]) : undefined;
    return { path: formatPath(tree.name, path), message, ...(pos && { line: pos.line, column: pos.col }) };
  };
  for (const issue of error.issues) {
    const path = issue.path;
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(kind, tree.value, path);
      for (const key of issue.keys) {
        out.push(at(keyNodeAt(tree.doc, path, key), [...path, key], `unknown key '${key}'${allowed ? `; allowed here: ${allowed.join(', ')}` : ''}`));
      }
      continue;
    }
    if (issue.code === 'invalid_key') {
      const inner = issue.issues[0]?.message ?? issue.message;
      out.push(at(keyNodeAt(tree.doc, path.slice(0, -1), String(path[path.length - 1])), path, inner));
      continue;
    }
    const missing = issue.code === 'invalid_type' && valueAt(tree.value, path) === undefined && path.length > 0;
    const message = missing ? `missing required key '${String(path[path.length - 1])}'` : issue.message;
    out.push(at(nodeAt(tree.doc, path), path, message));
  }
  return out;
}

interface Problem {
  /** Relative to the item: ['ranges', 'filters'] */
  path: (string | number)[];
  message: string;
}

/** Checks across an item's fields, and against the family registry. */
function itemProblems(item: BankItem, families: Map<string, FamilyDescriptor> | null): Problem[] {
  const problems: Problem[] = [];
  for (const [field, text] of markdownFields(item)) {
    if (!mathBalanced(text)) problems.push({ path: field, message: 'unbalanced $ math delimiters: every $…$ (or $$…$$) must close; write \\$ for a dollar sign' });
  }
  if (item.kind === 'cloze') problems.push(...clozeProblems(item));
  if (item.kind === 'choice') problems.push(...choiceProblems(item));
  if (item.kind === 'generated') problems.push(...generatedProblems(item, families));
  // A network item: the engine analyses its spec, the layer exists and the quantity applies to it.
  if (item.kind === 'network') problems.push(...networkItemProblems(item));
  return problems;
}

function markdownFields(item: BankItem): [(string | number)[], string][] {
  const fields: [(string | number)[], string | undefined][] = [[['erratum'], item.erratum]];
  if (item.kind === 'basic') fields.push([['front'], item.front], [['back'], item.back]);
  if (item.kind === 'cloze') fields.push([['text'], item.text], [['extra'], item.extra]);
  if (item.kind === 'choice') {
    fields.push([['question'], item.question], [['explanation'], item.explanation]);
    item.options.forEach((o, i) => fields.push([['options', i, 'text'], o.text]));
  }
  return fields.filter((f): f is [(string | number)[], string] => f[1] !== undefined);
}

/** An even number of unescaped `$`: every inline or display formula closes. */
function mathBalanced(text: string): boolean {
  let dollars = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '$') dollars++;
  }
  return dollars % 2 === 0;
}

const MAX_DELETIONS = 20;

function clozeProblems(item: ClozeItem): Problem[] {
  const problems: Problem[] = [];
  const matches = [...item.text.matchAll(CLOZE_DELETION)];
  if (matches.length === 0) problems.push({ path: ['text'], message: 'a cloze needs at least one deletion: {{c1::text}}' });
  if (matches.length > MAX_DELETIONS) problems.push({ path: ['text'], message: `at most ${MAX_DELETIONS} deletions` });
  for (const m of matches) {
    if (m[1] !== '1') problems.push({ path: ['text'], message: `{{c${m[1]}::…}}: write c1 for every deletion; one item is one card and all its deletions are blanked together (split the item for separate cards)` });
    if (m[2]!.trim() === '') problems.push({ path: ['text'], message: 'a cloze deletion is empty' });
  }
  const rest = item.text.replace(CLOZE_DELETION, '');
  if (rest.includes('{{') || rest.includes('}}')) problems.push({ path: ['text'], message: "malformed cloze deletion: write {{c1::answer}} or {{c1::answer::hint}}" });
  return problems;
}

function choiceProblems(item: ChoiceItem): Problem[] {
  const problems: Problem[] = [];
  const keys = new Set<string>();
  item.options.forEach((o, i) => {
    if (keys.has(o.key)) problems.push({ path: ['options', i, 'key'], message: `duplicate option key '${o.key}'` });
    keys.add(o.key);
  });
  const answers = typeof item.answer === 'string' ? [item.answer] : item.answer;
  if (new Set(answers).size !== answers.length) problems.push({ path: ['answer'], message: 'an answer key is listed twice' });
  for (const a of answers) {
    if (!keys.has(a)) problems.push({ path: ['answer'], message: `answer '${a}' is not an option key; keys: ${[...keys].join(', ')}` });
  }
  return problems;
}

/** Parameter names that are spatial sizes (capped lower than channel counts). */
const SPATIAL_PARAMETER = /(size|height|width|spatial|resolution|^hw$|^h$|^w$)/i;

function generatedProblems(item: GeneratedItem, families: Map<string, FamilyDescriptor> | null): Problem[] {
  const problems: Problem[] = [];
  const family = families?.get(item.family);
  if (families && !family) {
    const known = [...families.keys()];
    problems.push({ path: ['family'], message: `unknown family '${item.family}'; known families: ${known.length ? known.join(', ') : '(none registered)'}` });
  }
  if (item.tolerance && item.tolerance.relative === undefined && item.tolerance.absolute === undefined) {
    problems.push({ path: ['tolerance'], message: 'a tolerance needs relative or absolute (or leave it out for exact answers)' });
  }
  for (const [name, range] of Object.entries(item.ranges ?? {})) {
    const at = ['ranges', name];
    const declared = family?.parameters?.[name];
    if (family && !declared) {
      const names = Object.keys(family.parameters ?? {});
      problems.push({ path: at, message: `family '${family.id}' has no parameter '${name}'; its parameters: ${names.length ? names.join(', ') : '(none)'}` });
      continue;
    }
    const problem = rangeProblem(range);
    if (problem) {
      problems.push({ path: at, message: problem });
      continue;
    }
    if (SPATIAL_PARAMETER.test(name) && rangeBounds(range).max > LIMITS.spatialMagnitude) {
      problems.push({ path: at, message: `spatial sizes must be ≤ ${LIMITS.spatialMagnitude}` });
    }
    // The family's domain: a range that admits one value the parameter cannot mean is refused whole.
    const outside = declared && domainViolation(name, range, declared.domain);
    if (outside) problems.push({ path: at, message: outside });
  }
  return problems;
}
