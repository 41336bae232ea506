/**
 * `bank check <path> [--samples N] [--record]`: validate a bank (a folder with bank.yaml, or one file),
 * then pass each generated item through the gate publishing uses (engine/bank/gate.ts: N
 * samples, each checked against the engine's analysis), and build each passing sample as a
 * tfjs model on top. The verdict (`ok`, `errors`, the exit code) is the gate's, so a bank this
 * command accepts is one the web editor publishes; tfjs disagreeing with the engine is an engine
 * defect, reported apart in `tfjsDisagreements` (docs/decisions/0010-one-home-for-a-bank-item.md).
 * JSON: { ok, bank, items, errors: [{ path, message }], samples: [...], tfjsBackends, tfjsDisagreements }.
 * --record also stores every sample's verdicts in variant_checks ("verified on N"; DATABASE_URL or
 * DATABASE_PATH, as for the server), only for items the database holds with the same content: a
 * file not loaded, or edited since, checks questions no student is shown. JSON gains `recorded`.
 */
import fs, { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { readBankFiles } from '../../engine/bank/files';
import { countOf } from '../../engine/answers/format';
import { analyze } from '../../engine/analysis';
import { parseBank, type BankError, type BankFile, type ItemLocation } from '../../engine/bank/parse';
import { GATE_SAMPLES, gateBank } from '../../engine/bank/gate';
import type { GeneratedItem, NetworkItem } from '../../engine/bank/schema';
import { recordBankChecks, type VariantCheck } from '../../app/models/verification.server';
import type { Spec } from '../../engine/spec';
import { intFlag, table, UsageError, type Command } from '../cli';
import { openAppDatabase } from './user';

const MAX_SAMPLES = 100;
/**
 * tfjs checks every sample's shapes, params and MACs; measuring the receptive field by gradient
 * costs a backward pass, so only samples under this many MACs get it (≈ 1 s on the CPU backend).
 */
const FIELD_BUDGET_MACS = 1e8;

export interface SampleReport {
  item: string;
  family: string;
  path: string;
  seeds: number[];
  ok: boolean;
  /** How many samples tfjs verified, and in how many it also measured the receptive field. */
  tfjs: { verified: number; fieldMeasured: number; available: boolean; agrees: boolean };
}

export interface BankCheckReport {
  ok: boolean;
  bank: string | null;
  items: number;
  errors: BankError[];
  samples: SampleReport[];
  /** The tfjs backends that verified the samples; null when none were verified. */
  tfjsBackends: { structure: string; field: string } | null;
  /** Where a tfjs model disagreed with the engine's analysis: an engine defect, not the bank's (not part of `ok`). */
  tfjsDisagreements: BankError[];
}

interface TfjsVerifier {
  backends: { structure: string; field: string };
  verify: TfjsVerify;
}
type TfjsVerify = (spec: Spec, field: boolean) => Promise<{ ok: boolean; error?: string; layers: { name: string; ok: boolean; mismatches: string[] }[] }>;

/**
 * Where tfjs plugs in: engine/tfjs/verify.ts's verifySpec, loaded only when there is something
 * to verify. Shapes and counts on cpu; field gradients on wasm when it starts (≈ 3× faster, see
 * engine/tfjs/backend.ts), else on cpu.
 */
async function loadTfjsVerifier(): Promise<TfjsVerifier | null> {
  try {
    const { verifySpec } = await import('../../engine/tfjs/verify');
    const { chooseBackend, registerWasm } = await import('../../engine/tfjs/backend');
    let field = 'cpu';
    try {
      const wasmDir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
      await registerWasm(`${wasmDir}/`);
      await chooseBackend(['wasm']);
      field = 'wasm';
    } catch {
      // wasm is an optimisation: cpu verifies the same numbers.
    }
    await chooseBackend(['cpu']);
    const backends = { structure: 'cpu', field };
    return { backends, verify: (spec, measureField) => verifySpec(spec, { receptiveField: measureField ? 'final' : 'none', backends }) };
  } catch {
    return null;
  }
}

function fieldAffordable(spec: Spec): boolean {
  return analyze(spec).totals.macs <= FIELD_BUDGET_MACS;
}

/** Each sample's verdicts, for `--record` (variant_checks). */
export type CheckedItems = { item: GeneratedItem | NetworkItem; checks: VariantCheck[] }[];

/** Validate and sample a bank folder or file; `checked`, when given, receives every sample's verdicts. */
export async function checkBank(path: string, samples: number, checked?: CheckedItems): Promise<BankCheckReport> {
  const read = readBankFiles(path, fs);
  const parsed = read.errors.length === 0 ? parseBank({ files: read.files }) : null;
  if (!parsed || !parsed.ok) {
    return { ok: false, bank: null, items: 0, errors: [...read.errors, ...(parsed && !parsed.ok ? parsed.errors : [])], samples: [], tfjsBackends: null, tfjsDisagreements: [] };
  }
  const { bank, locations } = parsed;
  const errors: BankError[] = [];
  const tfjsDisagreements: BankError[] = [];
  const reports: SampleReport[] = [];
  const gates = gateBank(bank, samples);
  const verify = gates.length > 0 && samples > 0 ? await loadTfjsVerifier() : null;
  for (const { item, ok, checks } of gates) {
    const location: ItemLocation = locations[item.id]!;
    const tfjs = { verified: 0, fieldMeasured: 0, available: verify !== null, agrees: true };
    const verdicts: VariantCheck[] = [];
    for (const check of checks) {
      for (const problem of check.problems) errors.push({ path: location.path, message: `sample seed ${check.seed}: ${problem}` });
      const spec = check.variant?.spec;
      const verdict: VariantCheck = { seed: check.seed, engineOk: check.ok, tfjsOk: null, detail: check.ok ? null : check.problems.join('; ') };
      verdicts.push(verdict);
      if (!check.ok || !spec || !verify) continue;
      const field = fieldAffordable(spec);
      tfjs.verified++;
      if (field) tfjs.fieldMeasured++;
      const problems = await tfjsProblems(verify, spec, field);
      verdict.tfjsOk = problems.length === 0;
      if (problems.length > 0) verdict.detail = problems.join('; ');
      for (const problem of problems) {
        tfjs.agrees = false;
        tfjsDisagreements.push({ path: location.path, message: `sample seed ${check.seed}: ${problem}` });
      }
    }
    checked?.push({ item, checks: verdicts });
    reports.push({ item: item.id, family: item.kind === 'network' ? 'network' : item.family, path: location.path, seeds: checks.map((c) => c.seed), ok, tfjs });
  }
  return { ok: errors.length === 0, bank: bank.id, items: bank.items.length, errors, samples: reports, tfjsBackends: verify?.backends ?? null, tfjsDisagreements };
}

async function tfjsProblems(verifier: TfjsVerifier, spec: Spec, field: boolean): Promise<string[]> {
  try {
    const result = await verifier.verify(spec, field);
    if (result.error) return [`tfjs could not build the spec: ${result.error}`];
    return result.layers.filter((l) => !l.ok).map((l) => `tfjs disagrees with the engine at ${l.name}: ${l.mismatches.join('; ')}`);
  } catch (err) {
    return [`tfjs could not build the spec: ${err instanceof Error ? err.message : String(err)}`];
  }
}

export const BANK_CLI_TEXT = {
  recorded: (n: number) => `recorded ${countOf(n, 'check')} in the database (items it holds with this content; a check already stored is not stored again)`,
} as const;

/** Stores the samples' verdicts (source 'bank-check') in the database the server would open. */
async function recordChecks(bankId: string, checked: CheckedItems): Promise<number> {
  const { database } = await openAppDatabase();
  try {
    return await recordBankChecks({ db: database.db, bankId, checked, source: 'bank-check', now: new Date() });
  } finally {
    await database.close();
  }
}

export const bank: Command = {
  name: 'bank',
  summary: 'validate a question bank and sample its generated items (engine and tfjs checks)',
  usage: 'bank check <path> [--samples N] [--record]',
  flags: ['samples=', 'record'],
  async run(args) {
    const [sub, path, extra] = args.positionals;
    if (sub !== 'check') throw new UsageError(`unknown or missing subcommand${sub ? ` '${sub}'` : ''}; usage: stride ${this.usage}`);
    if (!path || extra !== undefined) throw new UsageError(`give one bank path (a folder with bank.yaml, or a .yaml file); usage: stride ${this.usage}`);
    if (!existsSync(path)) throw new UsageError(`no such file or folder: ${path}`);
    const samples = intFlag(args, 'samples', GATE_SAMPLES);
    if (samples < 0 || samples > MAX_SAMPLES) throw new UsageError(`--samples must be between 0 and ${MAX_SAMPLES}, got ${samples}`);
    const checked: CheckedItems = [];
    const report = await checkBank(path, samples, checked);
    // --record: the checks go to variant_checks ("verified on N"), for the items the database holds with this content.
    const recorded = args.flags.record === true && report.bank !== null ? await recordChecks(report.bank, checked) : null;
    const head = report.ok
      ? `bank ${report.bank}: ${report.items} items, ok (${report.samples.length} generated items × ${samples} samples)`
      : `bank ${report.bank ?? path}: ${countOf(report.errors.length, 'error')}`;
    const backends = report.tfjsBackends ? `tfjs: shapes and counts on ${report.tfjsBackends.structure}, receptive fields on ${report.tfjsBackends.field}` : 'tfjs: not run';
    const lines = [head, backends];
    if (recorded !== null) lines.push(BANK_CLI_TEXT.recorded(recorded));
    if (report.samples.length > 0) {
      lines.push(
        '',
        table(
          ['item', 'family', 'ok', 'tfjs verified', 'receptive field measured', 'tfjs agrees'],
          report.samples.map((s) => [s.item, s.family, s.ok ? 'yes' : 'NO', s.tfjs.verified, s.tfjs.fieldMeasured, s.tfjs.agrees ? 'yes' : 'NO']),
        ),
      );
    }
    if (report.errors.length > 0) lines.push('', ...report.errors.map((e) => `${e.path}: ${e.message}`));
    if (report.tfjsDisagreements.length > 0) {
      lines.push('', 'tfjs disagrees with the engine (an engine defect to report; the bank itself passed or failed on the lines above):', ...report.tfjsDisagreements.map((e) => `${e.path}: ${e.message}`));
    }
    return { json: recorded === null ? report : { ...report, recorded }, text: lines.join('\n'), ok: report.ok };
  },
};
