/**
 * Authoring an instructor's bank: save the editor's YAML (parsed by engine/bank, refused whole
 * on any error), preview generated items with the engine's checks, and publish only a bank whose
 * generated items pass the gate `stride bank check` runs (engine/bank/gate.ts). Each saved
 * version keeps the editor's text, the manifest and the items (bank.server's saveInstructorBank
 * keeps every version), so export and the editor lose nothing.
 */
import { z } from 'zod';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { and, desc, eq } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { banks, bankVersions, type BankRow } from '../../db/schema';
import { gateBank, sampleItem, type ItemGate } from '../../engine/bank/gate';
import { parseStoredItem, sampleSeed, StoredItemError } from '../../engine/bank/item';
import type { BankError } from '../../engine/bank/parse';
import { topics, type Bank, type BankItem, type GeneratedItem, type NetworkItem } from '../../engine/bank/schema';
import { families, getFamily } from '../../engine/families';
import { formatRange } from '../../engine/families/draw';
import type { Spec } from '../../engine/spec';
import { bankToYaml, parseBankText } from '../bank-files.server';
import { DEFAULT_SAMPLES, MAX_SAMPLES, type FamilyChoice } from '../bank-editor';
import { bankInputOf, CONTENT_BANKS_DIR, readBank } from '../content.server';
import { renderMarkdown } from '../markdown';
import { answerHtmlOf, presentItem, storedItemFailureAsHttp } from '../study.server';
import { bankVersionContent, getOwnBankVersions, saveInstructorBank, setBankStatus, StaleBank } from './bank.server';
import { AccessDenied } from './access.server';
import { ClassDatesRefused, publishBankToClass } from './class.server';
import type { ClassBankDates } from '../scheduling/class-schedule';
import { countOf } from '../../engine/answers';
import { stepsOfVariant, type StepFigure } from '../worked-steps.server';

export { DEFAULT_SAMPLES, MAX_SAMPLES };

export const AUTHORING_ERRORS = {
  idChanged: (written: string, edited: string) => `the bank id is '${written}', but this editor edits '${edited}'; keep the id (import the file from /banks to make a new bank)`,
  flagged: (n: number) => `${countOf(n, 'generated item')} failed the preview; fix their ranges before publishing`,
  noVersion: (bankId: string, version: number) => `bank ${bankId} has no version ${version}`,
  storedVersion: (bankId: string, problems: string) => `bank ${bankId}: the stored version no longer fits: ${problems}`,
} as const;

/** What a version row holds for an instructor's bank: the database's fields, the manifest, and the editor's text. */
const storedBankSchema = z.looseObject({
  id: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  version: z.string().optional(),
  yaml: z.string().optional(),
  items: z.array(z.record(z.string(), z.unknown())),
});
type StoredBank = z.infer<typeof storedBankSchema>;

/** A version row read back: parsed, never cast; a row that no longer fits names its bank (StoredItemError, as for an item). */
function storedBankOf(content: string, bankId: string): StoredBank {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (err) {
    throw new StoredItemError(bankId, '(version)', AUTHORING_ERRORS.storedVersion(bankId, `not JSON (${err instanceof Error ? err.message : String(err)})`));
  }
  const parsed = storedBankSchema.safeParse(value);
  if (!parsed.success) throw new StoredItemError(bankId, '(version)', AUTHORING_ERRORS.storedVersion(bankId, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')));
  return parsed.data;
}

/**
 * The bank a stored version describes, each item parsed with the bank schema (StoredItemError
 * names the bank and the item that no longer parses). Versions saved before items kept the bank
 * format's `kind` carry the database's `type` and `family: null`: those are taken off first.
 */
function bankOfStoredVersion(stored: StoredBank, fallbackTitle: string): Bank {
  const items = stored.items.map(({ type: _type, ...rest }): BankItem => {
    if (rest.family === null) delete rest.family;
    return parseStoredItem({ bankId: stored.id, itemId: String(rest.id), content: rest });
  });
  return { id: stored.id, title: stored.title ?? fallbackTitle, description: stored.description ?? stored.title ?? fallbackTitle, version: stored.version ?? '1.0.0', items };
}

export interface EditableBank {
  bank: BankRow;
  versions: { version: number; savedAt: Date; savedBy: number | null }[];
  /** The version shown (the latest unless asked for another). */
  shown: number;
  yaml: string;
  parsed: Bank;
}

/** The owner's bank as the editor opens it: the text of the latest (or the chosen) version. */
export async function getEditableBank({ db = getDb(), userId, bankId, version }: { db?: Db; userId: number; bankId: string; version?: number }): Promise<EditableBank> {
  // The list without contents; only the version shown is read whole.
  const { bank, versions } = await getOwnBankVersions({ db, userId, bankId });
  const shown = version ?? versions[0]?.version;
  const content = shown === undefined ? null : await bankVersionContent({ db, bankId, version: shown });
  if (shown === undefined || content === null) throw new Response(AUTHORING_ERRORS.noVersion(bankId, version ?? bank.version), { status: 404 });
  const stored = storedBankOf(content, bankId);
  const parsed = bankOfStoredVersion(stored, bank.title);
  return {
    bank,
    versions,
    shown,
    yaml: stored.yaml ?? bankToYaml(parsed),
    parsed,
  };
}

/** The latest saved version of any bank, as a Bank (for export). */
export async function latestStoredBank({ db = getDb(), bankId }: { db?: Db; bankId: string }): Promise<Bank | null> {
  const [bank] = await db.select().from(banks).where(eq(banks.id, bankId));
  if (!bank) return null;
  const [row] = await db.select().from(bankVersions).where(eq(bankVersions.bankId, bankId)).orderBy(desc(bankVersions.version)).limit(1);
  return row ? bankOfStoredVersion(storedBankOf(row.content, bank.id), bank.title) : null;
}

export type SaveResult = { ok: true; bank: BankRow; parsed: Bank } | { ok: false; errors: BankError[] };

/**
 * Saves the editor's text as a new version of the user's bank (or a new bank). Any error refuses
 * the whole text and writes nothing. A published bank must also pass the preview: its students
 * would meet the next version at once. `baseVersion`, the version the text was edited from:
 * when another save came first, the text is refused (path `bank`) rather than saved over it.
 */
export async function saveBankText({ db = getDb(), userId, text, bankId, now, baseVersion }: { db?: Db; userId: number; text: string; bankId?: string; now: Date; baseVersion?: number }): Promise<SaveResult> {
  const parsed = parseBankText(text);
  if (!parsed.ok) return parsed;
  const bank = parsed.bank;
  if (bankId !== undefined && bank.id !== bankId) return { ok: false, errors: [{ path: 'bank.yaml: id', message: AUTHORING_ERRORS.idChanged(bank.id, bankId) }] };
  const [existing] = await db.select({ status: banks.status }).from(banks).where(eq(banks.id, bank.id));
  // The gate runs outside the transaction (seconds of CPU); the save refuses a draft's text if the bank was published meanwhile.
  const publishable = existing?.status === 'published';
  if (publishable) {
    const flagged = gateErrors(gateBank(bank));
    if (flagged.length) return { ok: false, errors: flagged };
  }
  const stored = { ...bankInputOf(bank), description: bank.description, version: bank.version, yaml: text } satisfies StoredBank;
  try {
    return { ok: true, bank: await saveInstructorBank({ db, userId, bank: stored, now, baseVersion, publishable }), parsed: bank };
  } catch (err) {
    if (err instanceof StaleBank) return { ok: false, errors: [{ path: 'bank', message: err.message }] };
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Preview

export interface SamplePreview {
  index: number;
  seed: number;
  ok: boolean;
  problems: string[];
  promptHtml: string;
  answer: { kind: string; value: unknown; display: string } | null;
  explanationHtml: string;
  spec: Spec | null;
  /** The engine's own figure for the quantity asked (from analyze(spec)), or null when the answer is not one quantity of the spec. */
  measured: string | null;
  /** The worked-step pictures of this sample (app/worked-steps.server.ts). */
  steps?: StepFigure[];
}

export interface GeneratedPreview {
  kind: 'generated';
  itemId: string;
  title: string;
  family: string;
  /** Null: each question draws its difficulty. */
  difficulty: number | null;
  flagged: boolean;
  samples: SamplePreview[];
}

export interface FactPreview {
  kind: 'basic' | 'cloze' | 'choice';
  itemId: string;
  frontHtml: string;
  backHtml: string;
}

export type ItemPreview = GeneratedPreview | FactPreview;

/** N variants of a generated item (seeds fixed per item and sample), each checked by the publishing gate (engine/bank/gate.ts). Never throws. */
export function previewGeneratedItem(item: GeneratedItem | NetworkItem, samples = DEFAULT_SAMPLES): GeneratedPreview {
  const count = Math.min(Math.max(1, Math.trunc(samples)), MAX_SAMPLES);
  const out = sampleItem(item, count).map((check, index): SamplePreview => {
    const v = check.variant;
    return {
      index,
      seed: check.seed,
      ok: check.ok,
      problems: check.problems,
      promptHtml: v ? renderMarkdown(v.prompt) : '',
      answer: v ? { kind: v.answer.kind, value: v.answer.value, display: v.answer.display } : null,
      explanationHtml: v ? renderMarkdown(v.explanation.join('\n\n')) : '',
      spec: v?.spec ?? null,
      measured: check.measured,
      steps: v ? stepsOfVariant(v) : [],
    };
  });
  // A network item (made in the workbench) is one question about one network: previewed as its one sample.
  if (item.kind === 'network') return { kind: 'generated', itemId: item.id, title: `${item.title} (one network)`, family: 'network', difficulty: null, flagged: out.some((s) => !s.ok), samples: out };
  let title = item.family;
  try {
    title = getFamily(item.family).title;
  } catch {
    // parseBank has already refused unknown families; keep the id.
  }
  return { kind: 'generated', itemId: item.id, title: `${item.title} (${title})`, family: item.family, difficulty: item.difficulty ?? null, flagged: out.some((s) => !s.ok), samples: out };
}

/**
 * A fact card as the student meets it: the front is the review's own presentation (presentItem),
 * the back what review and quiz show after an answer; a choice's options are listed under the
 * question, as the answer form shows them.
 */
function factPreview(item: Exclude<BankItem, GeneratedItem | NetworkItem>): FactPreview {
  const card = presentItem(item.id, item, null);
  const options = card.options ? `<ol class="options">${card.options.map((o) => `<li><strong>${o.key}.</strong> ${o.html}</li>`).join('')}</ol>` : '';
  const back = answerHtmlOf(item, null);
  return { kind: item.kind, itemId: item.id, frontHtml: card.promptHtml + options, backHtml: back.answerHtml + back.explanationHtml };
}

/** Server time one preview may take: a bank of thousands of items must not stall everyone else's requests. */
export const PREVIEW_BUDGET_MS = 5000;

/**
 * The preview of every item of a bank, in bank order. Generated items past the time budget are
 * flagged unpreviewed (so such a bank cannot be published until it is split).
 */
export function previewBank(bank: Bank, samples = DEFAULT_SAMPLES, { budgetMs = PREVIEW_BUDGET_MS, clock = () => performance.now() } = {}): ItemPreview[] {
  const deadline = clock() + budgetMs;
  return bank.items.map((item) => {
    if (item.kind !== 'generated' && item.kind !== 'network') return factPreview(item);
    if (clock() > deadline) return unpreviewed(item, budgetMs);
    return previewGeneratedItem(item, samples);
  });
}

function unpreviewed(item: GeneratedItem | NetworkItem, budgetMs: number): GeneratedPreview {
  const problem = `not previewed: the preview's ${budgetMs / 1000} s budget ran out before this item; split the bank into smaller ones`;
  return { kind: 'generated', itemId: item.id, title: item.title, family: item.kind === 'network' ? 'network' : item.family, difficulty: item.kind === 'network' ? null : (item.difficulty ?? null), flagged: true, samples: [{ index: 0, seed: sampleSeed(item.id, 0), ok: false, problems: [problem], promptHtml: '', answer: null, explanationHtml: '', spec: null, measured: null }] };
}

/** The items the gate refuses as bank errors, one per distinct sample problem (path: the item); what publishing reports. */
export function gateErrors(gates: readonly ItemGate[]): BankError[] {
  const errors: BankError[] = [];
  for (const gate of gates) {
    if (gate.ok) continue;
    const problems = new Set(gate.checks.flatMap((c) => c.problems));
    for (const problem of problems) errors.push({ path: `items.${gate.item.id}`, message: `preview: ${problem}` });
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Publishing

export type PublishResult = { ok: true } | { ok: false; message: string; errors: BankError[] };

/** The gate's verdict on the owner's latest version, and the version it checked (publishing writes only while the bank is still at it). */
async function publishCheck(db: Db, userId: number, bankId: string): Promise<{ result: PublishResult; version: number }> {
  const { parsed, shown } = await getEditableBank({ db, userId, bankId });
  // The same gate, with the same samples, as `stride bank check` (decision 0010).
  const errors = gateErrors(gateBank(parsed));
  const flaggedItems = new Set(errors.map((e) => e.path)).size;
  return { result: errors.length ? { ok: false, message: AUTHORING_ERRORS.flagged(flaggedItems), errors } : { ok: true }, version: shown };
}

/** A publish refused because a save came between the gate and the write: nothing changed. */
function refusedAsStale(err: unknown): PublishResult {
  if (err instanceof StaleBank) return { ok: false, message: err.message, errors: [] };
  throw err;
}

/** Marks the owner's bank published, unless its preview flags an item or it changed while checked (then nothing changes). */
export async function publishBank({ db = getDb(), userId, bankId }: { db?: Db; userId: number; bankId: string }): Promise<PublishResult> {
  const check = await publishCheck(db, userId, bankId);
  if (!check.result.ok) return check.result;
  return setBankStatus({ db, userId, bankId, status: 'published', version: check.version }).then((): PublishResult => ({ ok: true }), refusedAsStale);
}

/** Back to draft (the editor's status); classes it was published to keep it until it is taken off them on the class page. */
export async function unpublishBank({ db = getDb(), userId, bankId }: { db?: Db; userId: number; bankId: string }): Promise<void> {
  await setBankStatus({ db, userId, bankId, status: 'draft' });
}

/** Publishes a bank to a class the user teaches: their own bank only after its preview passes (and unchanged since); a content bank as it is. */
export async function publishToClass({ db = getDb(), userId, classId, bankId, now, dates }: { db?: Db; userId: number; classId: number; bankId: string; now: Date; dates?: ClassBankDates }): Promise<PublishResult> {
  const [bank] = await db.select({ ownerId: banks.ownerId }).from(banks).where(eq(banks.id, bankId));
  let version: number | undefined;
  if (bank && bank.ownerId === userId) {
    const check = await publishCheck(db, userId, bankId);
    if (!check.result.ok) return check.result;
    version = check.version;
  }
  return publishBankToClass({ db, userId, classId, bankId, now, version, dates }).then(
    (): PublishResult => ({ ok: true }),
    (err: unknown) => (err instanceof ClassDatesRefused ? { ok: false, message: err.message, errors: Object.entries(err.errors).map(([path, message]) => ({ path, message })) } : refusedAsStale(err)),
  );
}

/** The banks an instructor may publish to a class: their own and those of content/. */
export async function publishableBanks({ db = getDb(), userId }: { db?: Db; userId: number }) {
  const columns = { id: banks.id, title: banks.title, source: banks.source, status: banks.status };
  const own = await db.select(columns).from(banks).where(and(eq(banks.source, 'instructor'), eq(banks.ownerId, userId)));
  return own.concat(await db.select(columns).from(banks).where(eq(banks.source, 'content')));
}

/** A new bank for the user: a manifest and one example item, saved as version 1 (a draft). */
export function starterBankYaml(id: string, title: string): string {
  return bankToYaml({
    id,
    title,
    description: `${title}: a question bank.`,
    version: '1.0.0',
    items: [
      {
        id: 'conv-output-example',
        kind: 'generated',
        topic: 'conv-arithmetic',
        tags: [],
        title: 'Conv output volume',
        family: 'conv-output-size',
        difficulty: 1,
      },
    ],
  });
}

/** Runs a model call for a route: an AccessDenied becomes the 403 answer the route throws; a saved item that no longer parses, a 500 naming it. */
export async function forbiddenOnDenial<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await storedItemFailureAsHttp(run);
  } catch (err) {
    if (err instanceof AccessDenied) throw new Response(err.message, { status: 403 });
    throw err;
  }
}

/**
 * A bank the instructor may export: their own (its latest saved version), or a content/ bank
 * (read from its files, which hold the manifest the database does not keep). 404 / 403 otherwise.
 */
export async function exportableBank({ db = getDb(), userId, bankId }: { db?: Db; userId: number; bankId: string }): Promise<Bank> {
  const [row] = await db.select({ ownerId: banks.ownerId, source: banks.source }).from(banks).where(eq(banks.id, bankId));
  if (!row) throw new Response('Not Found', { status: 404 });
  if (row.source === 'content') {
    const dir = path.join(CONTENT_BANKS_DIR, bankId);
    if (existsSync(dir)) return readBank(dir);
  } else if (row.ownerId !== userId) throw new Response(`bank ${bankId} belongs to someone else`, { status: 403 });
  const bank = await latestStoredBank({ db, bankId });
  if (!bank) throw new Response('Not Found', { status: 404 });
  return bank;
}

/** Form schema of banks._index.tsx (server-side, so zod stays out of the page's browser bundle). */
export const NewBankSchema = () =>
  z.object({
  id: z
    .string()
    .trim()
    .min(1, { error: 'give the bank an id' })
    .max(80, { error: 'at most 80 characters' })
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'kebab-case: lowercase letters and digits joined by -, e.g. my-cnn-bank' }),
  title: z.string().trim().min(1, { error: 'give the bank a title' }).max(200, { error: 'at most 200 characters' }),
});

/** Form schema of banks.$id.edit.tsx (server-side, so zod stays out of the page's browser bundle). */
export const BankEditActionSchema = () =>
  z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('preview'), yaml: z.string(), samples: z.coerce.number().int().min(1).max(MAX_SAMPLES).default(DEFAULT_SAMPLES) }),
  z.object({ intent: z.literal('save'), yaml: z.string() }),
  z.object({ intent: z.literal('publish') }),
  z.object({ intent: z.literal('unpublish') }),
  z.object({ intent: z.literal('import-csv'), csv: z.string().default('') }),
]);

/** What the editor's "add an item" form offers: the engine's families with their parameters, and the topics (fixed: built once). */
export const EDITOR_CHOICES: { families: FamilyChoice[]; topics: string[] } = {
  families: families.map((f) => ({
    id: f.id,
    title: f.title,
    topic: f.topic,
    parameters: Object.entries(f.parameters ?? {}).map(([name, p]) => ({ name, range: formatRange(p.range), description: p.description })),
  })),
  topics: [...topics],
};
