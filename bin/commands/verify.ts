import { createRequire } from 'node:module';
import path from 'node:path';
import type { VerifyBackends } from '../../engine/tfjs/backend';
import type { FieldPolicy, VerifyResult } from '../../engine/tfjs/verify';
import { archIds, getArch } from '../../engine/zoo';
import { table, UsageError, type Command } from '../cli';

// tfjs loads only when a verification runs, so the other commands start fast.

/** The directory holding tfjs-backend-wasm's .wasm files, as setWasmPaths wants it in Node (ending in '/'). */
export function wasmDirectory(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
}

/**
 * Node's backends for verification (docs/decisions/0002-tfjs-backends.md): zero-weight models on
 * cpu, field gradients on wasm — or on cpu, with the reason, when wasm cannot start.
 */
export async function nodeVerifyBackends(): Promise<{ backends: VerifyBackends; fallback: string | null }> {
  const { chooseBackend, registerWasm, useBackend } = await import('../../engine/tfjs/backend');
  await registerWasm(wasmDirectory());
  const choice = await chooseBackend(['wasm', 'cpu']);
  await useBackend('cpu');
  const fallback = choice.fallback ? `field gradients on ${choice.backend}: ${choice.fallback.reason}` : null;
  return { backends: { structure: 'cpu', field: choice.backend }, fallback };
}

const POLICIES: readonly FieldPolicy[] = ['all', 'top', 'final', 'none'];

function fieldPolicy(raw: string | true | undefined): FieldPolicy | undefined {
  if (raw === undefined) return undefined;
  if (raw === true || !POLICIES.includes(raw as FieldPolicy)) throw new UsageError(`--fields must be one of ${POLICIES.join(', ')}; got '${raw === true ? '' : raw}'`);
  return raw as FieldPolicy;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const shape = (s: readonly number[]) => s.join('×');

/** "28×28×672 (engine and tfjs)", or both shapes when they differ. */
function outputText(o: VerifyResult['output']): string {
  return o.ok ? `${shape(o.tfjs)} (engine and tfjs)` : `engine ${shape(o.engine) || '—'}, tfjs ${shape(o.tfjs) || '—'}`;
}

function archText(r: VerifyResult): string {
  const head = `${r.arch}: ${r.ok ? 'ok' : 'MISMATCH'} on ${r.backend} in ${(r.ms / 1000).toFixed(2)} s (${r.layers.length} rows, receptive field measured on ${r.fieldsMeasured}); output ${outputText(r.output)}`;
  if (r.error) return `${head}\n  error: ${r.error}`;
  const rows = r.layers.map((l) => [
    l.ok ? '✓' : '✗',
    l.name,
    l.type,
    shape(l.tfjs.output),
    l.tfjs.params,
    l.tfjs.macs,
    l.tfjs.rf ? `${l.tfjs.rf.size[0]}×${l.tfjs.rf.size[1]}${l.engine.rf && (l.engine.rf.size[0] !== l.tfjs.rf.size[0] || l.engine.rf.size[1] !== l.tfjs.rf.size[1]) ? ` (of ${l.engine.rf.size[0]}×${l.engine.rf.size[1]}, clipped)` : ''}` : '—',
  ]);
  const mismatches = [...(r.output.ok ? [] : [`  ✗ the network's output: ${outputText(r.output)}`]), ...r.layers.flatMap((l) => l.mismatches.map((m) => `  ✗ ${l.name}: ${m}`))];
  return [head, table(['', 'layer', 'type', 'output', 'params', 'macs', 'rf'], rows), ...mismatches].join('\n');
}

function allText(results: VerifyResult[]): string {
  const rows = results.map((r) => {
    const bad = r.layers.filter((l) => !l.ok);
    const first = r.error ?? (!r.output.ok ? `output: ${outputText(r.output)}` : bad[0] ? `${bad[0].name}: ${bad[0].mismatches[0]}` : '');
    return [r.ok ? '✓' : '✗', r.arch, shape(r.output.tfjs), r.layers.length, r.fieldsMeasured, Number((r.ms / 1000).toFixed(2)), first];
  });
  const failed = results.filter((r) => !r.ok).length;
  const total = results.reduce((s, r) => s + r.ms, 0) / 1000;
  return [
    table(['', 'arch', 'output', 'rows', 'fields', 'seconds', 'first mismatch'], rows),
    `${results.length - failed} of ${results.length} architectures agree with the engine (${total.toFixed(1)} s)`,
    ...results.filter((r) => !r.ok).map((r) => archText(r)),
  ].join('\n');
}

export const verify: Command = {
  name: 'verify',
  summary: 'build an architecture (or the whole zoo) in tfjs and check every layer against the analysis',
  usage: 'verify <arch|all> [--fields all|top|final|none]',
  flags: ['fields='],
  async run(args) {
    const target = args.positionals[0];
    if (target === undefined) throw new UsageError(`missing architecture; usage: stride verify <arch|all>; architectures: ${archIds().join(', ')}`);
    if (args.positionals.length > 1) throw new UsageError(`verify takes one architecture or 'all', got ${args.positionals.length}`);
    const receptiveField = fieldPolicy(args.flags.fields);
    const ids = target === 'all' ? archIds() : [getArch(target).id];
    const { backends, fallback } = await nodeVerifyBackends();
    const tf = await import('@tensorflow/tfjs');
    const { verifyArch } = await import('../../engine/tfjs/verify');
    if (fallback && !args.json) process.stderr.write(`stride: ${fallback}\n`);
    const results: VerifyResult[] = [];
    for (const id of ids) {
      if (target === 'all' && !args.json) process.stderr.write(`verifying ${id}…\n`);
      results.push(await verifyArch(id, { backends, ...(receptiveField ? { receptiveField } : {}) }));
      // One architecture at a time: free every weight before the next is built.
      tf.disposeVariables();
    }
    const ok = results.every((r) => r.ok);
    if (target === 'all') return { json: results, text: allText(results), ok };
    const result = results[0]!;
    return { json: result, text: archText(result), ok };
  },
};
