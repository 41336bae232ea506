/**
 * The bank format (docs/decisions/0003-bank-format.md): the zod schema of one bank file.
 *
 * A bank is a folder with a `bank.yaml` manifest ({ id, title, description, version, items? })
 * and item files ({ items }), or one file holding both. Every object is strict: an unknown key
 * is an error at its path. Every string, list and number is capped so that a hostile file
 * cannot make the app allocate, render or analyse something huge.
 *
 * Checks that need more than one field or more than one file (unique ids, known families and
 * their parameters, cloze syntax, choice answers) live in parse.ts, where they can say where.
 */
import { z } from 'zod';
import type { Layer, Spec } from '../spec';

/** Caps, named so that messages, tests and the decision record quote the same numbers. */
export const LIMITS = {
  /** Bytes of one file before it is parsed. */
  fileBytes: 2 * 1024 * 1024,
  /** Files in one bank folder. */
  files: 200,
  /** Items in one bank, over all its files. */
  items: 5_000,
  /** Characters of any one Markdown field. */
  markdownChars: 10_000,
  /** Characters of a one-line field (title, option text, source). */
  lineChars: 500,
  idChars: 80,
  tags: 16,
  options: 8,
  /** Values in one parameter's list of choices. */
  choices: 64,
  /** Any range bound: channels, filters, units. */
  rangeMagnitude: 8192,
  /** Range bounds of spatial parameters (sizes, heights, widths). */
  spatialMagnitude: 4096,
  /** Nesting of YAML collections. */
  depth: 32,
  /** Layers of one network spec, counted through every block, branch and shortcut (densenet201 has 714). */
  specLayers: 1_500,
  /** Branches of one concat. */
  branches: 32,
} as const;

/** The topics of the chapter; a family's and a fact card's `topic` is one of them. */
export const topics = [
  'conv-arithmetic',
  'parameters',
  'compute',
  'memory',
  'receptive-field',
  'alexnet',
  'zfnet',
  'vgg',
  'googlenet',
  'resnet',
  'nin',
  'wide-resnet',
  'resnext',
  'stochastic-depth',
  'fractalnet',
  'densenet',
  'squeezenet',
  'history',
] as const;
export type Topic = (typeof topics)[number];

/** Keys that could reach an object's prototype if some later code copied a bank naively. */
export const forbiddenKeys = ['__proto__', 'constructor', 'prototype'] as const;

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const kebabId = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, { error: `${what} must not be empty` })
    .max(LIMITS.idChars, { error: `${what} is longer than ${LIMITS.idChars} characters` })
    .regex(KEBAB, { error: `${what} must be kebab-case: lowercase letters and digits joined by '-', e.g. alexnet-conv1-output` });

const markdown = (what: string) =>
  z
    .string({ error: `${what} must be a string (Markdown, $…$ for KaTeX)` })
    .min(1, { error: `${what} must not be empty` })
    .max(LIMITS.markdownChars, { error: `${what} is longer than ${LIMITS.markdownChars.toLocaleString('en-US')} characters` });

const line = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, { error: `${what} must not be empty` })
    .max(LIMITS.lineChars, { error: `${what} is longer than ${LIMITS.lineChars} characters` });

export const topicSchema = z.enum(topics, { error: `topic must be one of: ${topics.join(', ')}` });

const itemIdSchema = kebabId('id').describe('Stable id, unique in the bank; never derived from position. Renaming it starts the card afresh.');
const tagsSchema = z
  .array(kebabId('a tag'), { error: 'tags must be a list of kebab-case names, e.g. [alexnet]' })
  .max(LIMITS.tags, { error: `at most ${LIMITS.tags} tags` })
  .describe('Architecture tags: alexnet, vgg, googlenet, resnet…');
const sourceSchema = line('source').optional().describe('Where the fact comes from (paper, lecture, slide).');
const erratumSchema = markdown('erratum').optional().describe('Where a source gets this wrong, and why the card differs.');

/** Fields every item has. */
const itemBase = {
  id: itemIdSchema,
  topic: topicSchema,
  tags: tagsSchema,
  source: sourceSchema,
  erratum: erratumSchema,
};

export const basicItemSchema = z
  .strictObject({
    ...itemBase,
    kind: z.literal('basic'),
    front: markdown('front'),
    back: markdown('back'),
  })
  .describe('A question and its answer.');

export const clozeItemSchema = z
  .strictObject({
    ...itemBase,
    kind: z.literal('cloze'),
    text: markdown('text').describe('Markdown with {{c1::deletion}} or {{c1::deletion::hint}}; every deletion is blanked at once (one item = one card), so all are c1.'),
    extra: markdown('extra').optional().describe('Shown after the answer.'),
  })
  .describe('A sentence with deletions to fill in.');

export const choiceOptionSchema = z.strictObject({
  key: z
    .string({ error: 'key must be a string' })
    .regex(/^[a-z0-9]{1,8}$/, { error: 'key must be 1–8 lowercase letters or digits, e.g. a' }),
  text: markdown('option text'),
});

export const choiceItemSchema = z
  .strictObject({
    ...itemBase,
    kind: z.literal('choice'),
    question: markdown('question'),
    options: z
      .array(choiceOptionSchema, { error: 'options must be a list of { key, text }' })
      .min(2, { error: 'a choice needs at least 2 options' })
      .max(LIMITS.options, { error: `at most ${LIMITS.options} options` }),
    answer: z
      .union([z.string(), z.array(z.string()).min(1).max(LIMITS.options)], { error: 'answer must be an option key or a list of option keys' })
      .describe('The key of the right option, or a list of keys when several are right.'),
    explanation: markdown('explanation'),
  })
  .describe('A multiple-choice question.');

const rangeBound = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .min(0, { error: `${what} must be ≥ 0` })
    .max(LIMITS.rangeMagnitude, { error: `${what} must be ≤ ${LIMITS.rangeMagnitude} (nothing in these networks is larger)` });

/** The list syntax of the first bank format, whose meaning hung on its length (docs/decisions/0011). */
export function legacyRangeMessage(list: readonly unknown[]): string {
  const values = list.map((v) => (typeof v === 'number' ? String(v) : JSON.stringify(v))).join(', ');
  if (list.length === 1) return `[${values}] is the old list syntax; write the value alone: ${values}`;
  if (list.length === 2)
    return `[${values}] is the old list syntax, where two numbers meant every whole number from ${values.replace(', ', ' to ')}; write {min: ${list[0]}, max: ${list[1]}} for that range, or {choices: [${values}]} for these two values only`;
  return `[${values}] is the old list syntax; write {choices: [${values}]} for these values, or {min: …, max: …} for a range`;
}

export const rangeSchema = z
  .union(
    [
      rangeBound('a fixed value').describe('This one value.'),
      z
        .strictObject({
          min: rangeBound('min'),
          max: rangeBound('max'),
          step: z.number({ error: 'step must be a number' }).int({ error: 'step must be a whole number' }).min(1, { error: 'step must be ≥ 1' }).max(LIMITS.rangeMagnitude).optional(),
        })
        .describe('Every whole number from min to max, both included (with step: min, min + step, … up to max).'),
      z
        .strictObject({
          choices: z
            .array(rangeBound('a choice'), { error: 'choices must be a list of numbers' })
            .min(1, { error: 'choices must list at least one value' })
            .max(LIMITS.choices, { error: `at most ${LIMITS.choices} choices` }),
        })
        .describe('Exactly these values, one drawn per question.'),
    ],
    {
      error: (issue) =>
        Array.isArray(issue.input)
          ? legacyRangeMessage(issue.input)
          : 'a range is a number (fixed), {min: a, max: b} (every whole number from a to b) or {choices: [a, b, …]}',
    },
  )
  .describe('The values a parameter takes: a number (fixed), {min, max[, step]} (an inclusive range) or {choices: [...]} (a list).');

export const toleranceSchema = z
  .strictObject({
    relative: z.number({ error: 'relative must be a number' }).min(0).max(1, { error: 'relative tolerance must be ≤ 1 (100%)' }).optional(),
    absolute: z.number({ error: 'absolute must be a number' }).min(0).max(1e12).optional(),
  })
  .describe('Accept |given − expected| ≤ relative·|expected| or ≤ absolute; absent: exact.');

export const generatedItemSchema = z
  .strictObject({
    ...itemBase,
    kind: z.literal('generated'),
    title: line('title'),
    family: kebabId('family').describe('A family id from `stride families`.'),
    difficulty: z
      .union([z.literal(1), z.literal(2), z.literal(3)], { error: 'difficulty must be 1, 2 or 3' })
      .optional()
      .describe("Pins the family's template of that level; absent (usual): each question draws one, so the item covers every template its title names."),
    ranges: z
      .record(
        z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, { error: 'a parameter name is an identifier, e.g. filters' }),
        rangeSchema,
        { error: 'ranges must map parameter names to a number, {min, max} or {choices: [...]}' },
      )
      .optional()
      .describe("Parameter ranges by the family's parameter names; absent parameters keep the family's defaults."),
    tolerance: toleranceSchema.optional(),
  })
  .describe('A question generated afresh at every review from a family of the engine.');

// ---------------------------------------------------------------------------------------------
// Network specs (engine/spec.ts) as data: the `network` item and the workbench's links.
// Structure only, with caps: a kernel of 0 or an add whose shapes disagree passes here and is
// refused by the engine's analysis, whose message names the layer (parse.ts, the workbench).

const whole = (what: string, max: number) =>
  z.number({ error: `${what} must be a number` }).int({ error: `${what} must be a whole number` }).min(0, { error: `${what} must be ≥ 0` }).max(max, { error: `${what} must be ≤ ${max}` });
const size = (what: string) => whole(what, LIMITS.rangeMagnitude);
const pairSchema = (what: string) =>
  z.union([size(what), z.tuple([size(what), size(what)])], { error: `${what} must be a number or [height, width]` });
const paddingSchema = z.union(
  [z.literal('same'), z.literal('valid'), size('padding'), z.tuple([size('padding'), size('padding')]), z.tuple([size('padding'), size('padding'), size('padding'), size('padding')])],
  { error: "padding must be a number, [h, w], [top, bottom, left, right], 'same' or 'valid'" },
);
const layerNameSchema = z
  .string({ error: 'a layer name must be a string' })
  .regex(/^[A-Za-z0-9_.-]{1,40}$/, { error: 'a layer name is 1–40 letters, digits, _ . or - (no /: names join into paths)' });
const layerName = layerNameSchema.optional();
const fraction = (what: string) => z.number({ error: `${what} must be a number` }).min(0).max(1e6);

export const layerSchema: z.ZodType<Layer> = z.lazy(() =>
  z.discriminatedUnion(
    'kind',
    [
      z.strictObject({ kind: z.literal('conv'), name: layerName, filters: size('filters'), kernel: pairSchema('kernel'), stride: pairSchema('stride').optional(), padding: paddingSchema.optional(), dilation: pairSchema('dilation').optional(), groups: size('groups').optional(), bias: z.boolean().optional() }),
      z.strictObject({ kind: z.enum(['maxpool', 'avgpool']), name: layerName, kernel: pairSchema('kernel'), stride: pairSchema('stride').optional(), padding: paddingSchema.optional(), ceilMode: z.boolean().optional() }),
      z.strictObject({ kind: z.literal('globalavgpool'), name: layerName }),
      z.strictObject({ kind: z.literal('adaptiveavgpool'), name: layerName, output: pairSchema('output') }),
      z.strictObject({ kind: z.literal('dense'), name: layerName, units: size('units'), bias: z.boolean().optional() }),
      z.strictObject({ kind: z.literal('flatten'), name: layerName }),
      z.strictObject({ kind: z.literal('lrn'), name: layerName, size: size('size').optional(), alpha: fraction('alpha').optional(), beta: fraction('beta').optional(), k: fraction('k').optional() }),
      z.strictObject({ kind: z.literal('batchnorm'), name: layerName, epsilon: fraction('epsilon').optional() }),
      z.strictObject({ kind: z.literal('relu'), name: layerName }),
      z.strictObject({ kind: z.literal('dropout'), name: layerName, rate: z.number({ error: 'rate must be a number' }).min(0).max(1) }),
      z.strictObject({ kind: z.literal('concat'), name: layerName, branches: z.array(z.array(layerSchema), { error: 'branches must be a list of layer lists' }).max(LIMITS.branches, { error: `at most ${LIMITS.branches} branches` }) }),
      z.strictObject({ kind: z.literal('residual'), name: layerName, body: z.array(layerSchema), shortcut: z.array(layerSchema).optional() }),
      z.strictObject({ kind: z.literal('block'), name: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, { error: 'a block name is 1–40 letters, digits, _ . or -' }), block: z.string().regex(/^[a-z_]{1,24}$/).optional(), layers: z.array(layerSchema) }),
    ],
    { error: 'kind must be one of: conv, maxpool, avgpool, globalavgpool, adaptiveavgpool, dense, flatten, lrn, batchnorm, relu, dropout, concat, residual, block' },
  ),
) as unknown as z.ZodType<Layer>;

/** Layers of a spec through every block, branch and shortcut (the cap LIMITS.specLayers counts these). */
export function specLayerCount(layers: readonly Layer[]): number {
  let n = 0;
  for (const l of layers) {
    n++;
    if (l.kind === 'block') n += specLayerCount(l.layers);
    else if (l.kind === 'concat') for (const b of l.branches) n += specLayerCount(b);
    else if (l.kind === 'residual') n += specLayerCount(l.body) + specLayerCount(l.shortcut ?? []);
  }
  return n;
}

export const specSchema: z.ZodType<Spec> = z
  .strictObject({
    name: line('name').optional(),
    input: z.tuple([size('input height'), size('input width'), size('input channels')], { error: 'input must be [H, W, C]' }),
    layers: z.array(layerSchema, { error: 'layers must be a list' }),
  })
  .refine((s) => specLayerCount(s.layers) <= LIMITS.specLayers, { error: `a network has at most ${LIMITS.specLayers.toLocaleString('en-US')} layers` })
  .describe('A network (engine/spec.ts): input [H, W, C] and its layers.') as unknown as z.ZodType<Spec>;

/** What a `network` item asks about its network: a quantity of engine/analysis.ts (AnswerSource's). */
export const networkQuantities = ['output', 'channels', 'params', 'macs', 'flops', 'activations', 'rf'] as const;
export type NetworkQuantity = (typeof networkQuantities)[number];

export const networkItemSchema = z
  .strictObject({
    ...itemBase,
    kind: z.literal('network'),
    title: line('title'),
    spec: specSchema,
    quantity: z.enum(networkQuantities, { error: `quantity must be one of: ${networkQuantities.join(', ')}` }).describe('What to ask: output shape, channels, params, MACs, FLOPs, activations or receptive field (size, height axis).'),
    layer: z.string().min(1).max(LIMITS.lineChars).optional().describe('The layer asked about, by its path in the analysis (conv1, layer1/block1/conv2); absent: the whole network.'),
    bias: z.boolean().optional().describe('Count biases (default true); false: weights only.'),
    tolerance: toleranceSchema.optional(),
  })
  .describe('A question about one exact network (made in the workbench): its answer is the engine\'s analysis of the spec.');

export const itemSchema = z.discriminatedUnion('kind', [basicItemSchema, clozeItemSchema, choiceItemSchema, generatedItemSchema, networkItemSchema], {
  error: 'kind must be one of: basic, cloze, choice, generated, network',
});

const itemList = z
  .array(itemSchema, { error: 'items must be a list' })
  .max(LIMITS.items, { error: `at most ${LIMITS.items.toLocaleString('en-US')} items` });

export const bankManifestSchema = z
  .strictObject({
    id: kebabId('bank id'),
    title: line('title'),
    description: markdown('description'),
    version: z
      .string({ error: 'version must be a quoted version string such as "1.0.0"' })
      .regex(/^\d{1,6}\.\d{1,6}\.\d{1,6}$/, { error: 'version must look like "1.0.0"' }),
    items: itemList.optional(),
  })
  .describe('bank.yaml: the bank manifest (and, in a one-file bank, its items).');

export const itemFileSchema = z.strictObject({ items: itemList }).describe('An item file of a bank folder.');

/** What an editor validates any bank file against: a manifest or an item file. */
export const bankFileSchema = z.union([bankManifestSchema, itemFileSchema]).describe('A Stride question bank file (content/banks/<id>/*.yaml).');

export type BasicItem = z.infer<typeof basicItemSchema>;
export type ClozeItem = z.infer<typeof clozeItemSchema>;
export type ChoiceItem = z.infer<typeof choiceItemSchema>;
export type GeneratedItem = z.infer<typeof generatedItemSchema>;
export type NetworkItem = z.infer<typeof networkItemSchema>;
export type BankItem = z.infer<typeof itemSchema>;
export type BankManifest = z.infer<typeof bankManifestSchema>;

/** A validated bank: the manifest and every item, in file-name order. */
export interface Bank {
  id: string;
  title: string;
  description: string;
  version: string;
  items: BankItem[];
}

/** Names of the shared parts in the exported JSON Schema's $defs (a local registry: importing twice registers nothing globally). */
const jsonSchemaNames = z.registry<{ id: string }>();
jsonSchemaNames.add(itemSchema, { id: 'item' });
jsonSchemaNames.add(basicItemSchema, { id: 'basicItem' });
jsonSchemaNames.add(clozeItemSchema, { id: 'clozeItem' });
jsonSchemaNames.add(choiceItemSchema, { id: 'choiceItem' });
jsonSchemaNames.add(generatedItemSchema, { id: 'generatedItem' });
jsonSchemaNames.add(networkItemSchema, { id: 'networkItem' });
jsonSchemaNames.add(specSchema, { id: 'spec' });
jsonSchemaNames.add(layerSchema, { id: 'layer' });
jsonSchemaNames.add(toleranceSchema, { id: 'tolerance' });
jsonSchemaNames.add(layerNameSchema, { id: 'layerName' });
jsonSchemaNames.add(rangeSchema, { id: 'range' });
jsonSchemaNames.add(topicSchema, { id: 'topic' });
jsonSchemaNames.add(itemIdSchema, { id: 'itemId' });
jsonSchemaNames.add(tagsSchema, { id: 'tags' });
jsonSchemaNames.add(sourceSchema, { id: 'source' });
jsonSchemaNames.add(erratumSchema, { id: 'erratum' });
jsonSchemaNames.add(itemList, { id: 'items' });

/** The JSON Schema editors use (content/schema/bank.schema.json is this, committed). */
export function bankJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(bankFileSchema, {
    target: 'draft-2020-12',
    metadata: jsonSchemaNames,
    reused: 'ref',
    // Names come from the local registry; descriptions still live in the global one.
    override: ({ zodSchema, jsonSchema }) => {
      const description = z.globalRegistry.get(zodSchema)?.description;
      if (description) jsonSchema.description = description;
    },
  }) as Record<string, unknown>;
}

/** The committed file's text: stable key order, two-space indent, final newline. */
export function bankJsonSchemaText(): string {
  return `${JSON.stringify(bankJsonSchema(), null, 2)}\n`;
}
