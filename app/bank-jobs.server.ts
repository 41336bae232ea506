/**
 * Heavy bank work off the event loop (docs/decisions/0016-heavy-bank-work.md). Parsing a bank
 * file, previewing its generated items and saving thousands of items take seconds of CPU: on the
 * server's one thread that froze every other user's request. Each job here runs in one worker
 * thread (app/bank-jobs.worker.ts, bundled to build/bank-jobs.worker.js by `npm run build`) with
 * its own connection to the same database (the SQLite file, or a small pool on the PostgreSQL
 * server); the route awaits the answer.
 *
 * A job is a thin composition of the authoring model's exported functions (`runBankJob`), so
 * the worker adds no rules of its own; the editor's page logic (one page of a large bank) is here.
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { getDatabase, type Db } from '../db/client';
import type { BankRow } from '../db/schema';
import type { BankError } from '../engine/bank/parse';
import type { ClassBankDates } from './scheduling/class-schedule';
import type { Bank } from '../engine/bank/schema';
import { editorPage, type EditorPage } from './bank-editor';
import { bankToYaml, importFactCardsCsv, parseBankText, type CsvRowError } from './bank-files.server';
import { appendItems } from './bank-text';
import { AccessDenied } from './models/access.server';
import { bankAnalytics, type Analytics } from './models/analytics.server';
import { getEditableBank, previewBank, publishBank, publishToClass, saveBankText, type ItemPreview, type PublishResult } from './models/authoring.server';
import { BANK_ERRORS } from './models/bank.server';
import { recordPreviewChecks, verifiedItemsOf, type VerifiedItem } from './models/verification.server';

export type BankJob =
  /** `baseVersion`: the version the editor opened (refused, nothing saved, when another save came first). */
  | { kind: 'save'; userId: number; text: string; bankId?: string; baseVersion?: number; now: Date }
  | { kind: 'save-page'; userId: number; bankId: string; version: number; page: number; text: string; now: Date }
  | { kind: 'preview-text'; text: string; samples: number }
  | { kind: 'editor-page'; userId: number; bankId: string; version?: number; page: number }
  | { kind: 'publish'; userId: number; bankId: string }
  | { kind: 'publish-to-class'; userId: number; classId: number; bankId: string; now: Date; dates?: ClassBankDates }
  | { kind: 'import-csv'; userId: number; bankId: string; csv: string; now: Date };

export const BANK_JOB_ERRORS = {
  /** The model's refusal of a save over a newer version (bank.server checks it again, the bank row locked). */
  stalePage: BANK_ERRORS.staleVersion,
} as const;

export type SaveReply = { ok: true; bank: BankRow } | { ok: false; errors: BankError[] };
export type PreviewReply = { ok: true; preview: ItemPreview[]; previewed: number; total: number } | { ok: false; errors: BankError[] };
export interface EditorPageReply {
  bank: BankRow;
  versions: { version: number; savedAt: Date; savedBy: number | null }[];
  shown: number;
  /** The text the editor shows: the whole bank file, or (a bank of several pages) the manifest and this page's items. */
  yaml: string;
  page: EditorPage;
  preview: ItemPreview[];
  /** Verified on N: the page's generated items, checked variants and disagreements. */
  verification: VerifiedItem[];
  /** The bank's totals; per item, the page's items that were answered; the too-hard list, at most TOO_HARD_SHOWN of it. */
  analytics: Analytics & { tooHardTotal: number };
}

/** Too-hard items named on one page of the editor. */
const TOO_HARD_SHOWN = 20;
export type CsvReply = { ok: true; imported: number } | { ok: false; errors: CsvRowError[] };

interface BankJobReplies {
  save: SaveReply;
  'save-page': SaveReply;
  'preview-text': PreviewReply;
  'editor-page': EditorPageReply;
  publish: PublishResult;
  'publish-to-class': PublishResult;
  'import-csv': CsvReply;
}
type ReplyOf<J extends BankJob> = BankJobReplies[J['kind']];

/** A refusal the route answers with a status (a model's AccessDenied or thrown Response), carried across the thread. */
type Refusal = { refused: { status: number; message: string } };

/** The bank of a page: the manifest and the page's items. */
function pageBank(bank: Bank, page: EditorPage): Bank {
  return { ...bank, items: bank.items.slice(page.start, page.start + page.count) };
}

/** Line and column point into the text that was parsed; after a page is put back in its bank they point nowhere the editor shows. */
function withoutPlace(errors: BankError[]): BankError[] {
  return errors.map(({ line: _line, column: _column, ...rest }) => rest);
}

function saved(result: Awaited<ReturnType<typeof saveBankText>>): SaveReply {
  return result.ok ? { ok: true, bank: result.bank } : { ok: false, errors: result.errors };
}

/** Runs one job on `db` (in the worker; in the calling thread only when no worker can start). */
export function runBankJob<J extends BankJob>(job: J, db: Db): Promise<ReplyOf<J>>;
export async function runBankJob(job: BankJob, db: Db): Promise<BankJobReplies[BankJob['kind']]> {
  switch (job.kind) {
    case 'save':
      return saved(await saveBankText({ db, userId: job.userId, text: job.text, bankId: job.bankId, baseVersion: job.baseVersion, now: job.now }));
    case 'save-page': {
      // The edited page replaces its items in the version it was opened from; the whole bank is then saved (and checked) as one text.
      const base = await getEditableBank({ db, userId: job.userId, bankId: job.bankId, version: job.version });
      // Another page saved since this one was opened: rebuilding from the old version would drop that save.
      const latest = base.versions[0]?.version;
      if (latest !== undefined && latest !== job.version) return { ok: false, errors: [{ path: 'bank', message: BANK_JOB_ERRORS.stalePage(job.bankId, job.version, latest) }] };
      const edited = parseBankText(job.text);
      if (!edited.ok) return edited;
      const page = editorPage(base.parsed.items.length, job.page);
      const items = [...base.parsed.items.slice(0, page.start), ...edited.bank.items, ...base.parsed.items.slice(page.start + page.count)];
      const text = bankToYaml({ ...edited.bank, items });
      // Checked again as it is written, the bank row locked: a save of another page in between refuses this one.
      const result = saved(await saveBankText({ db, userId: job.userId, text, bankId: job.bankId, baseVersion: job.version, now: job.now }));
      return result.ok ? result : { ok: false, errors: withoutPlace(result.errors) };
    }
    case 'preview-text': {
      const parsed = parseBankText(job.text);
      if (!parsed.ok) return parsed;
      // Every item is checked by the parse; the preview (and its reply) is one page's worth.
      const page = editorPage(parsed.bank.items.length, 1);
      return { ok: true, preview: previewBank(pageBank(parsed.bank, page), job.samples), previewed: page.count, total: page.total };
    }
    case 'editor-page': {
      const editable = await getEditableBank({ db, userId: job.userId, bankId: job.bankId, version: job.version });
      const page = editorPage(editable.parsed.items.length, job.page);
      const shown = pageBank(editable.parsed, page);
      const onPage = new Set(shown.items.map((i) => i.id));
      const analytics = await bankAnalytics({ db, userId: job.userId, bankId: job.bankId });
      const preview = previewBank(shown);
      await recordPreviewChecks({ db, bankId: job.bankId, bankItems: shown.items, preview, userId: job.userId, now: new Date() });
      return {
        bank: editable.bank,
        versions: editable.versions,
        shown: editable.shown,
        yaml: page.pages === 1 ? editable.yaml : bankToYaml(shown),
        page,
        preview,
        verification: await verifiedItemsOf({ db, bankId: job.bankId, bankItems: shown.items }),
        analytics: { ...analytics, items: analytics.items.filter((i) => i.attempts > 0 && onPage.has(i.key)), tooHard: analytics.tooHard.slice(0, TOO_HARD_SHOWN), tooHardTotal: analytics.tooHard.length },
      };
    }
    case 'publish':
      return publishBank({ db, userId: job.userId, bankId: job.bankId });
    case 'publish-to-class':
      return publishToClass({ db, userId: job.userId, classId: job.classId, bankId: job.bankId, now: job.now, dates: job.dates });
    case 'import-csv': {
      // The CSV's rows go on top of the latest version, which the save checks is still the latest.
      const editable = await getEditableBank({ db, userId: job.userId, bankId: job.bankId });
      const rows = importFactCardsCsv(job.csv, editable.parsed.items);
      if (!rows.ok) return rows;
      const appended = appendItems(editable.yaml, rows.items as unknown as Record<string, unknown>[]);
      if ('error' in appended) return { ok: false, errors: [{ row: 0, message: appended.error }] };
      const result = await saveBankText({ db, userId: job.userId, text: appended.text, bankId: job.bankId, baseVersion: editable.shown, now: job.now });
      if (!result.ok) return { ok: false, errors: result.errors.map((e) => ({ row: 0, message: `${e.path}: ${e.message}` })) };
      return { ok: true, imported: rows.items.length };
    }
  }
}

/** What the worker posts back for a job: its reply, a refusal, or a failure. */
export type JobOutcome = { reply: unknown } | Refusal | { failed: string };

/** A job's outcome in a form that crosses threads (Responses and errors do not). */
export async function outcomeOf(job: BankJob, db: Db): Promise<JobOutcome> {
  try {
    return { reply: await runBankJob(job, db) };
  } catch (err) {
    if (err instanceof AccessDenied) return { refused: { status: 403, message: err.message } };
    if (err instanceof Response) return { refused: { status: err.status, message: await err.text() } };
    return { failed: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
}

// ---------------------------------------------------------------------------------------------
// The thread

/**
 * The worker: its bundle beside the server bundle, or (development, a bare `remix build`) its
 * source run through tsx, registered inside the thread (Node does not pass --import to workers).
 */
function startWorker(target: string): Worker {
  const workerData: BankWorkerData = { target };
  const built = new URL('./bank-jobs.worker.js', import.meta.url);
  // Older than the server bundle it sits beside, it is a left-over of an earlier build: not used.
  const current = existsSync(fileURLToPath(built)) && statSync(fileURLToPath(built)).mtimeMs >= statSync(fileURLToPath(import.meta.url)).mtimeMs;
  if (current) return new Worker(built, { workerData });
  for (const source of [new URL('./bank-jobs.worker.ts', import.meta.url), new URL('../app/bank-jobs.worker.ts', import.meta.url)]) {
    if (!existsSync(fileURLToPath(source))) continue;
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
    const code = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source.href)}); });`;
    return new Worker(code, { eval: true, workerData });
  }
  throw new Error('no bank-jobs worker: run `npm run build` (it bundles app/bank-jobs.worker.ts to build/bank-jobs.worker.js)');
}

/** What the worker is started with: the SQLite path or PostgreSQL URL it opens its own connection to. */
export interface BankWorkerData {
  target: string;
}

/** Connections the worker keeps to a PostgreSQL server: it runs one job at a time. */
export const BANK_WORKER_POOL_SIZE = 2;

let worker: { thread: Worker; target: string } | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (outcome: JobOutcome) => void; reject: (err: Error) => void }>();

function failAll(thread: Worker, err: Error) {
  if (worker?.thread !== thread) return;
  for (const p of pending.values()) p.reject(err);
  pending.clear();
  worker = null;
}

function bankWorker(target: string): Worker {
  if (worker?.target === target) return worker.thread;
  // Another database (a test's next one): the old thread's connection points at the wrong place.
  if (worker) void stopBankWorker();
  const started = startWorker(target);
  started.unref();
  started.on('message', ({ id, outcome }: { id: number; outcome: JobOutcome }) => {
    const p = pending.get(id);
    pending.delete(id);
    p?.resolve(outcome);
  });
  started.on('error', (err) => failAll(started, err));
  started.on('exit', (code) => failAll(started, new Error(`the bank-jobs worker exited (code ${code})`)));
  worker = { thread: started, target };
  return started;
}

/** Stops the worker thread, closing its connection (tests, before their database is dropped); the next job starts another. */
export async function stopBankWorker(): Promise<void> {
  const stopping = worker;
  if (!stopping) return;
  failAll(stopping.thread, new Error('the bank-jobs worker was stopped'));
  await stopping.thread.terminate();
}

/**
 * Runs a job in the worker, one at a time in the order asked, and answers with its reply; a
 * refusal is thrown as the Response the route would have thrown (403, 404).
 */
export async function bankJob<J extends BankJob>(job: J, target = getDatabase().target): Promise<ReplyOf<J>> {
  const id = nextId++;
  const outcome = await new Promise<JobOutcome>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    bankWorker(target).postMessage({ id, job });
  });
  if ('refused' in outcome) throw new Response(outcome.refused.message, { status: outcome.refused.status });
  if ('failed' in outcome) throw new Error(`bank job ${job.kind} failed in the worker: ${outcome.failed}`);
  return outcome.reply as ReplyOf<J>;
}
