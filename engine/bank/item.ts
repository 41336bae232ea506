/**
 * A bank item as a student meets it: the seed of a generated question, the variant it builds,
 * what the page shows before the answer, and the grade of a raw answer, for all four kinds.
 * Review, quizzes, the instructor's preview, publishing, `stride bank check`, the exports and the
 * benchmarks all go through here (docs/decisions/0010-one-home-for-a-bank-item.md).
 *
 * Pure and free of HTML: prompts, answers and explanations are Markdown, which the app renders.
 * The seed fully determines a generated question, so (item, seed) always rebuilds what was shown.
 */
import { analyze } from '../analysis';
import type { LayerAnalysis } from '../analysis-types';
import { countOf, formatAnswer, grade, groupThousands, readContextOf, type GradeResult, type ReadContext } from '../answers';
import { getFamily, measureSource, variantOf } from '../families';
import type { AnswerSource, AnswerValue, CountUnit, Variant } from '../question';
import { pair, type Layer, type Spec } from '../spec';
import { CLOZE_SEPARATOR, clozeBack, clozeBlankCorrect, clozeDeletions, clozeFront, stripTex } from './cloze';
import { itemSchema, type BankItem, type ChoiceItem, type ClozeItem, type GeneratedItem, type NetworkItem, type NetworkQuantity } from './schema';

// ---------------------------------------------------------------------------------------------
// Seeds

/**
 * The variant seed named by `key`: FNV-1a (32-bit) over its UTF-16 code units, kept to 31 bits so
 * that every seed is a valid `stride question --seed` (0…2³¹−1).
 * h₀ = 2166136261; hₙ₊₁ = (hₙ XOR unitₙ) · 16777619 mod 2³²; seed = h & (2³¹ − 1)
 */
export function variantSeed(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}

/** The seed of a user's next review of `itemId` after `reps` reviews, the last at `lastReviewMs`. */
export function reviewSeed(userId: number, itemId: string, reps: number, lastReviewMs: number | null): number {
  return variantSeed(`${userId}|${itemId}|${reps}|${lastReviewMs ?? 0}`);
}

/** The seed of sample `i` of an item (preview, publishing, `bank check`): a failing sample can be rebuilt exactly. */
export function sampleSeed(itemId: string, i: number): number {
  return variantSeed(`${itemId}#${i}`);
}

// ---------------------------------------------------------------------------------------------
// Variant

/**
 * The question a generated item asks for `seed`: its family's variant under the item's
 * difficulty and ranges, with the item's tolerance (when it sets one) on the answer.
 */
export function itemVariant(item: GeneratedItem, seed: number): Variant {
  const variant = variantOf(getFamily(item.family), seed, { difficulty: item.difficulty, ranges: item.ranges });
  return item.tolerance ? { ...variant, answer: { ...variant.answer, tolerance: item.tolerance } } : variant;
}

// ---------------------------------------------------------------------------------------------
// Network items: one question about one exact network (the workbench's "make a question")

/** The words a network item uses, kept together (translated later). */
export const NETWORK_ITEM_TEXT = {
  quantity: {
    output: 'the output shape (H×W×C)',
    channels: 'the number of output channels',
    params: 'the number of parameters',
    macs: 'the number of multiply-accumulates (MACs)',
    flops: 'the number of FLOPs (2 × MACs)',
    activations: 'the number of output values (activations)',
    rf: 'the receptive field (height axis, in input pixels)',
  } satisfies Record<NetworkQuantity, string>,
  ofLayer: (layer: string) => `of layer \`${layer}\``,
  ofNetwork: 'of the whole network',
  noBias: 'Count weights only (no biases).',
  network: (input: string, count: number) => `The network takes a ${input} input and has ${countOf(count, 'layer')}:`,
  more: (n: number) => `- … and ${n} more`,
  walk: 'The engine\'s analysis, layer by layer:',
  walkMore: (n: number) => `(${countOf(n, 'more row')} not shown)`,
  unknownLayer: (layer: string, known: string) => `no layer '${layer}' in this network; its layers: ${known}`,
  notApplicable: (quantity: NetworkQuantity, layer: string, kind: string) => `${quantity} does not apply to \`${layer}\` (a ${kind} layer has none); ask for its output, activations or receptive field`,
  notMap: (layer: string) => `\`${layer}\` has no channels: its output is a vector`,
  networkNotMap: 'the network has no output channels: its output is a vector',
} as const;

const QUANTITY_UNIT: Record<Exclude<NetworkQuantity, 'output'>, CountUnit> = { channels: 'channels', params: 'params', macs: 'macs', flops: 'flops', activations: 'values', rf: 'pixels' };

/** Layer kinds that never have parameters or MACs: a params/MACs question about one of them asks for a 0. */
const WITHOUT_WEIGHTS = new Set(['maxpool', 'avgpool', 'globalavgpool', 'adaptiveavgpool', 'flatten', 'lrn', 'relu', 'dropout']);
const WITHOUT_MACS = new Set([...WITHOUT_WEIGHTS, 'batchnorm']);

/** The AnswerSource of a network item: where its answer sits in analyze(spec). */
export function networkSource(item: Pick<NetworkItem, 'quantity' | 'layer' | 'bias'>): AnswerSource {
  return { quantity: item.quantity, ...(item.layer !== undefined ? { row: item.layer } : {}), ...(item.bias === false ? { bias: false } : {}) };
}

/** Why a network item cannot be asked (one sentence each): its spec does not analyse, the layer is not in it, the quantity does not apply. */
export function networkItemProblems(item: Pick<NetworkItem, 'spec' | 'quantity' | 'layer' | 'bias'>): { path: string[]; message: string }[] {
  let rows: LayerAnalysis[];
  try {
    rows = analyze(item.spec, { bias: item.bias !== false }).layers;
  } catch (err) {
    return [{ path: ['spec'], message: `the engine cannot analyse the network: ${err instanceof Error ? err.message : String(err)}` }];
  }
  if (item.layer === undefined) {
    if (rows.length === 0) return [{ path: ['spec', 'layers'], message: 'the network has no layers' }];
    // A network ending in a vector (a dense layer) has no output channels to ask for.
    if (item.quantity === 'channels' && rows[rows.length - 1]!.output.length !== 3) return [{ path: ['quantity'], message: NETWORK_ITEM_TEXT.networkNotMap }];
    return [];
  }
  const row = rows.find((r) => r.name === item.layer);
  if (!row) return [{ path: ['layer'], message: NETWORK_ITEM_TEXT.unknownLayer(item.layer, rows.slice(0, 40).map((r) => r.name).join(', ') + (rows.length > 40 ? ', …' : '')) }];
  const kind = row.layer.kind;
  if ((item.quantity === 'params' && WITHOUT_WEIGHTS.has(kind)) || ((item.quantity === 'macs' || item.quantity === 'flops') && WITHOUT_MACS.has(kind))) {
    return [{ path: ['quantity'], message: NETWORK_ITEM_TEXT.notApplicable(item.quantity, item.layer, kind) }];
  }
  if (item.quantity === 'channels' && row.output.length !== 3) return [{ path: ['quantity'], message: NETWORK_ITEM_TEXT.notMap(item.layer) }];
  return [];
}

function pairText(p: Parameters<typeof pair>[0], fallback: number): string {
  const [a, b] = pair(p, fallback);
  return a === b ? String(a) : `${a}×${b}`;
}

/** One layer in words, for the prompt: "conv 3×3, 64 filters, stride 2, padding same". */
export function layerText(layer: Layer): string {
  const name = layer.name ? `\`${layer.name}\` ` : '';
  switch (layer.kind) {
    case 'conv': {
      const parts = [`conv ${pairText(layer.kernel, 1).replace(/^(\d+)$/, '$1×$1')}`, countOf(layer.filters, 'filter')];
      if (layer.stride !== undefined && pairText(layer.stride, 1) !== '1') parts.push(`stride ${pairText(layer.stride, 1)}`);
      if (layer.padding !== undefined && layer.padding !== 0) parts.push(`padding ${typeof layer.padding === 'object' ? layer.padding.join(', ') : layer.padding}`);
      if (layer.dilation !== undefined && pairText(layer.dilation, 1) !== '1') parts.push(`dilation ${pairText(layer.dilation, 1)}`);
      if ((layer.groups ?? 1) > 1) parts.push(countOf(layer.groups ?? 1, 'group'));
      if (layer.bias === false) parts.push('no bias');
      return name + parts.join(', ');
    }
    case 'maxpool':
    case 'avgpool': {
      const parts = [`${layer.kind === 'maxpool' ? 'max' : 'average'} pool ${pairText(layer.kernel, 1).replace(/^(\d+)$/, '$1×$1')}`, `stride ${pairText(layer.stride ?? layer.kernel, 1)}`];
      if (layer.padding !== undefined && layer.padding !== 0) parts.push(`padding ${typeof layer.padding === 'object' ? layer.padding.join(', ') : layer.padding}`);
      if (layer.ceilMode) parts.push('ceil mode');
      return name + parts.join(', ');
    }
    case 'dense':
      return `${name}fully connected, ${countOf(layer.units, 'unit')}${layer.bias === false ? ', no bias' : ''}`;
    case 'adaptiveavgpool':
      return `${name}adaptive average pool to ${pairText(layer.output, 1)}`;
    case 'globalavgpool':
      return `${name}global average pool`;
    case 'dropout':
      return `${name}dropout ${layer.rate}`;
    case 'concat':
      return `${name}${countOf(layer.branches.length, 'parallel branch', 'parallel branches')}, concatenated in depth`;
    case 'residual':
      return `${name}residual: body + ${layer.shortcut && layer.shortcut.length > 0 ? 'projection shortcut' : 'identity shortcut'}`;
    case 'block':
      return `\`${layer.name}\` (${layer.block ?? 'block'})`;
    default:
      return name + layer.kind;
  }
}

/** Lines of the prompt's layer list, nested, at most `budget` lines. */
function layerList(layers: readonly Layer[], depth: number, out: string[], budget: number): void {
  const indent = '  '.repeat(depth);
  for (const layer of layers) {
    if (out.length >= budget) return;
    out.push(`${indent}- ${layerText(layer)}`);
    if (layer.kind === 'block') layerList(layer.layers, depth + 1, out, budget);
    else if (layer.kind === 'residual') {
      layerList(layer.body, depth + 1, out, budget);
      if (layer.shortcut?.length) layerList(layer.shortcut, depth + 1, out, budget);
    } else if (layer.kind === 'concat') layer.branches.forEach((b) => layerList(b, depth + 1, out, budget));
  }
}

/** Lines the prompt lists at most; a zoo network's full list is on its explorer page. */
const PROMPT_LINES = 60;
/** Rows the worked explanation walks through at most. */
const WALK_ROWS = 40;

function rowLine(r: LayerAnalysis): string {
  const bits = [`${r.output.join('×')}`];
  if (r.params) bits.push(`${groupThousands(r.params)} params`);
  if (r.macs) bits.push(`${groupThousands(r.macs)} MACs`);
  bits.push(`receptive field ${r.rf.size}`);
  return `- \`${r.name}\` (${r.type}): ${bits.join(', ')}`;
}

/** The question a network item asks, as a variant (family 'network', seed 0): the grader and the engine panel treat it as any generated question's. */
export function networkVariant(item: NetworkItem): Variant {
  const source = networkSource(item);
  const analysis = analyze(item.spec, { bias: item.bias !== false });
  const measured = measureSource(item.spec, source);
  const value: AnswerValue = Array.isArray(measured) ? { kind: 'shape', value: measured } : { kind: 'count', value: measured, unit: QUANTITY_UNIT[item.quantity as Exclude<NetworkQuantity, 'output'>] };
  const display = formatAnswer(value);
  const list: string[] = [];
  layerList(item.spec.layers, 0, list, PROMPT_LINES);
  const listed = countListed(item.spec.layers);
  if (listed > list.length) list.push(NETWORK_ITEM_TEXT.more(listed - list.length));
  const T = NETWORK_ITEM_TEXT;
  const prompt = [
    `${T.network(item.spec.input.join('×'), listed)}`,
    '',
    ...list,
    '',
    `What is ${T.quantity[item.quantity]} ${item.layer !== undefined ? T.ofLayer(item.layer) : T.ofNetwork}?${item.bias === false && (item.quantity === 'params') ? ` ${T.noBias}` : ''}`,
  ].join('\n');
  const upTo = item.layer === undefined ? analysis.layers.length : analysis.layers.findIndex((r) => r.name === item.layer) + 1;
  const walked = analysis.layers.slice(0, upTo).filter((r) => r.depth === 0 || r.name === item.layer);
  const shown = walked.slice(-WALK_ROWS);
  const explanation = [T.walk, [...(walked.length > shown.length ? [T.walkMore(walked.length - shown.length)] : []), ...shown.map(rowLine)].join('\n')];
  const row = item.layer === undefined ? null : analysis.layers.find((r) => r.name === item.layer)!;
  explanation.push(...formulaLines(item, row, analysis.totals, display));
  const answer = item.tolerance ? { ...value, display, tolerance: item.tolerance } : { ...value, display };
  return { family: 'network', seed: 0, prompt, answer, explanation, spec: item.spec, source, misconceptions: [], difficulty: 2, params: {} };
}

function countListed(layers: readonly Layer[]): number {
  let n = 0;
  for (const l of layers) {
    n++;
    if (l.kind === 'block') n += countListed(l.layers);
    else if (l.kind === 'residual') n += countListed(l.body) + countListed(l.shortcut ?? []);
    else if (l.kind === 'concat') for (const b of l.branches) n += countListed(b);
  }
  return n;
}

/** The last line(s): the formula where one applies, ending on the answer. */
function formulaLines(item: NetworkItem, row: LayerAnalysis | null, totals: { params: number; macs: number; flops: number; activations: number }, display: string): string[] {
  const of = row ? `\`${row.name}\`` : 'the network';
  const layer = row?.layer;
  switch (item.quantity) {
    case 'params':
      if (layer?.kind === 'conv') {
        const [kh, kw] = pair(layer.kernel, 1);
        const g = layer.groups ?? 1;
        const withBias = item.bias !== false && layer.bias !== false;
        const cin = ((row!.params - (withBias ? layer.filters : 0)) * g) / (kh * kw * layer.filters);
        return [`Params of ${of} = ${kh} · ${kw} · (${countOf(cin, 'input channel')} / ${countOf(g, 'group')}) · ${countOf(layer.filters, 'filter')}${withBias ? ` + ${countOf(layer.filters, 'bias', 'biases')}` : ''} = ${display}`];
      }
      return [`Params of ${of}${row ? '' : ' (the sum of every layer)'} = ${display}`];
    case 'macs':
      return [`MACs of ${of}${row ? '' : ' (the sum of every conv and dense layer)'} = ${display}`];
    case 'flops':
      return [`FLOPs of ${of} = 2 × ${groupThousands(row ? row.macs : totals.macs)} MACs = ${display}`];
    case 'activations':
      return [`Output values of ${of}${row ? ` = ${row.output.join(' · ')}` : ' (every leaf layer\'s outputs)'} = ${display}`];
    case 'rf':
      return [`Receptive field of ${of}: each layer grows it by (k − 1) × the jump so far; here ${display}`];
    case 'channels':
      return [`Channels of ${of} = ${display}`];
    case 'output':
      return [`Output of ${of} = ${display}`];
  }
}

// ---------------------------------------------------------------------------------------------
// Presenting

export type AnswerMode = 'typed' | 'choice' | 'cloze' | 'reveal';

/** What a student sees before answering (never the answer), in Markdown. */
export interface ItemFace {
  kind: BankItem['kind'];
  topic: string;
  title: string | null;
  prompt: string;
  mode: AnswerMode;
  /** For typed answers: what the live reader expects. */
  readContext: ReadContext | null;
  options: { key: string; text: string }[] | null;
  multiple: boolean;
  /** Number of blanks of a cloze. */
  blanks: number;
  /** A basic card's back, shown when the student reveals it and grades themself. */
  back: string | null;
  seed: number | null;
  difficulty: 1 | 2 | 3;
}

/** The face of an item; `seed` picks a generated item's question (0 when null). */
export function presentBankItem(item: BankItem, seed: number | null): ItemFace {
  const base = { kind: item.kind, topic: item.topic, title: null, options: null, multiple: false, blanks: 0, readContext: null, back: null, seed: null, difficulty: 2 as const };
  switch (item.kind) {
    case 'generated': {
      const s = seed ?? 0;
      const variant = itemVariant(item, s);
      return { ...base, title: item.title, prompt: variant.prompt, mode: 'typed', readContext: readContextOf(variant.answer), seed: s, difficulty: variant.difficulty };
    }
    case 'network': {
      const variant = networkVariant(item);
      return { ...base, title: item.title, prompt: variant.prompt, mode: 'typed', readContext: readContextOf(variant.answer) };
    }
    case 'choice':
      return { ...base, prompt: item.question, mode: 'choice', options: item.options.map((o) => ({ key: o.key, text: o.text })), multiple: Array.isArray(item.answer) && item.answer.length > 1 };
    case 'cloze':
      return { ...base, prompt: clozeFront(item.text), mode: 'cloze', blanks: clozeDeletions(item.text).length };
    case 'basic':
      return { ...base, prompt: item.front, mode: 'reveal', back: item.back };
  }
}

/** What is shown once answered: the answer and the explanation, Markdown ('' when there is none). */
export interface ItemAnswer {
  answer: string;
  explanation: string;
}

function answerOf(item: Exclude<BankItem, GeneratedItem | NetworkItem>): ItemAnswer {
  switch (item.kind) {
    case 'choice': {
      const right = new Set(Array.isArray(item.answer) ? item.answer : [item.answer]);
      const answer = item.options.filter((o) => right.has(o.key)).map((o) => `**${o.key}.** ${o.text}`).join('\n\n');
      return { answer, explanation: item.explanation };
    }
    case 'cloze':
      return { answer: clozeBack(item.text), explanation: [item.extra, item.erratum].filter(Boolean).join('\n\n') };
    case 'basic':
      return { answer: item.back, explanation: item.erratum ?? '' };
  }
}

function variantAnswer(variant: Variant): ItemAnswer {
  return { answer: variant.answer.display, explanation: variant.explanation.join('\n\n') };
}

/** The back of an item: what review and quiz show after an answer, and the preview beside the front. */
export function itemAnswer(item: BankItem, seed: number | null): ItemAnswer {
  if (item.kind === 'generated') return variantAnswer(itemVariant(item, seed ?? 0));
  if (item.kind === 'network') return variantAnswer(networkVariant(item));
  return answerOf(item);
}

// ---------------------------------------------------------------------------------------------
// Grading

export interface ItemGrade extends ItemAnswer {
  status: GradeResult['status'];
  correct: boolean;
  readAs: string | null;
  /** The value as read, JSON, for the review record. */
  value: unknown;
  feedback: string[];
  misconception: GradeResult['misconception'];
  /** Every misconception that explains the answer (two can give the same wrong value); the first is `misconception`. */
  misconceptions: GradeResult['misconceptions'];
  components: GradeResult['components'] | null;
  /** The network the question is about, for the engine panel. */
  spec: Spec | null;
  /** The expected answer, for the engine panel's agreement mark. */
  expected: { kind: string; value: unknown; display: string } | null;
  /** Where the answer sits in the analysis of `spec` (the variant's source); null when it is not one quantity of the network. */
  source: AnswerSource | null;
}

type Verdict = Pick<ItemGrade, 'status' | 'correct' | 'readAs' | 'value' | 'feedback'>;

const unread = (feedback: string): Verdict => ({ status: 'unread', correct: false, readAs: null, value: null, feedback: [feedback] });

function gradeChoice(item: ChoiceItem, raw: string): Verdict {
  const expected = new Set(Array.isArray(item.answer) ? item.answer : [item.answer]);
  const given = new Set(raw.split(',').map((k) => k.trim().toLowerCase()).filter(Boolean));
  if (given.size === 0) return unread('not read: choose an option');
  const known = new Set(item.options.map((o) => o.key));
  const unknown = [...given].filter((k) => !known.has(k));
  if (unknown.length) return unread(`not read: no option ${unknown.join(', ')}`);
  const correct = given.size === expected.size && [...given].every((k) => expected.has(k));
  return { status: correct ? 'correct' : 'wrong', correct, readAs: `chose ${[...given].join(', ')}`, value: [...given], feedback: [correct ? 'Right.' : 'Not that one.'] };
}

function gradeCloze(item: ClozeItem, answers: string[]): Verdict {
  const deletions = clozeDeletions(item.text);
  if (answers.every((a) => a.trim() === '')) return unread('not read: fill in the blanks');
  const results = deletions.map((d, i) => clozeBlankCorrect(d.answer, answers[i] ?? ''));
  const correct = results.every(Boolean);
  const feedback = deletions.map((d, i) => `${i + 1}: ${results[i] ? 'right' : `expected “${stripTex(d.answer)}”`}`);
  return { status: correct ? 'correct' : 'wrong', correct, readAs: `read as ${answers.map((a) => `“${a.trim()}”`).join(', ')}`, value: answers, feedback };
}

function gradeBasic(raw: string): Verdict {
  if (raw !== 'knew' && raw !== 'forgot') return unread('not read: say whether you knew it');
  const knew = raw === 'knew';
  return { status: knew ? 'correct' : 'wrong', correct: knew, readAs: knew ? 'you knew it' : 'you did not know it', value: knew, feedback: [] };
}

const noEngine: Pick<ItemGrade, 'misconception' | 'misconceptions' | 'components' | 'spec' | 'expected' | 'source'> = { misconception: null, misconceptions: [], components: null, spec: null, expected: null, source: null };

/**
 * Grades a raw answer. `raw` is the typed text (generated), comma-separated option keys (choice),
 * the blanks joined by CLOZE_SEPARATOR (cloze), or 'knew' / 'forgot' (a basic card's self-grade).
 */
export function gradeBankItem(item: BankItem, seed: number | null, raw: string): ItemGrade {
  switch (item.kind) {
    case 'generated':
    case 'network': {
      // A network item is one fixed question: its variant does not depend on the seed.
      const variant = item.kind === 'network' ? networkVariant(item) : itemVariant(item, seed ?? 0);
      const g = grade(variant, raw);
      const { kind, value, display } = variant.answer;
      return {
        status: g.status,
        correct: g.correct,
        readAs: g.readAs,
        value: g.value,
        feedback: g.feedback,
        misconception: g.misconception,
        misconceptions: g.misconceptions,
        components: g.components ?? null,
        ...variantAnswer(variant),
        spec: variant.spec,
        expected: { kind, value, display },
        source: variant.source ?? null,
      };
    }
    case 'choice':
      return { ...gradeChoice(item, raw), ...noEngine, ...answerOf(item) };
    case 'cloze':
      return { ...gradeCloze(item, raw.split(CLOZE_SEPARATOR)), ...noEngine, ...answerOf(item) };
    case 'basic':
      return { ...gradeBasic(raw), ...noEngine, ...answerOf(item) };
  }
}

// ---------------------------------------------------------------------------------------------
// Reading an item back from storage

export const STORED_ITEM_ERRORS = {
  notJson: (bankId: string, itemId: string, reason: string) => `bank ${bankId}, item ${itemId}: the stored item is not JSON (${reason})`,
  invalid: (bankId: string, itemId: string, problems: string) => `bank ${bankId}, item ${itemId}: the stored item no longer fits the bank format: ${problems}`,
} as const;

/** A stored item that does not parse: the message names the bank, the item and what failed. */
export class StoredItemError extends Error {
  override name = 'StoredItemError';
  constructor(
    readonly bankId: string,
    readonly itemId: string,
    message: string,
  ) {
    super(message);
  }
}

/** Problems listed in a StoredItemError's message at most (the rest are counted). */
const MAX_LISTED_PROBLEMS = 3;

/**
 * An item read back from the database, parsed with the bank schema: `content` is the stored JSON
 * text (or a value already taken out of a larger JSON document, such as a saved bank version).
 * Throws StoredItemError when it no longer parses.
 */
export function parseStoredItem({ bankId, itemId, content }: { bankId: string; itemId: string; content: unknown }): BankItem {
  let value = content;
  if (typeof content === 'string') {
    try {
      value = JSON.parse(content);
    } catch (err) {
      throw new StoredItemError(bankId, itemId, STORED_ITEM_ERRORS.notJson(bankId, itemId, err instanceof Error ? err.message : String(err)));
    }
  }
  const parsed = itemSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const listed = issues.slice(0, MAX_LISTED_PROBLEMS).map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`);
  if (issues.length > MAX_LISTED_PROBLEMS) listed.push(`and ${issues.length - MAX_LISTED_PROBLEMS} more`);
  throw new StoredItemError(bankId, itemId, STORED_ITEM_ERRORS.invalid(bankId, itemId, listed.join('; ')));
}
