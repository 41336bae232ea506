import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../cli';
import fs from 'node:fs';
import { readBankFiles } from '../../engine/bank/files';
import { bank, checkBank } from './bank';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'stride-bank-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const MANIFEST = 'id: tiny\ntitle: Tiny\ndescription: A tiny bank.\nversion: "0.1.0"\n';
const FACT = `  - id: pool-params
    kind: choice
    topic: parameters
    tags: [alexnet]
    question: Parameters of a max pool?
    options: [{ key: a, text: "0" }, { key: b, text: "9" }]
    answer: a
    explanation: Nothing to learn.
`;
const GENERATED = `  - id: gen-small-conv
    kind: generated
    topic: conv-arithmetic
    tags: [alexnet]
    title: Small conv output
    family: conv-output-size
    difficulty: 1
    ranges:
      size: {min: 28, max: 32}
      channels: {choices: [3]}
      filters: 16
`;

function bankFolder(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

/** The real command line, as a user runs it. */
function stride(args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/stride.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('stride bank check', () => {
  it('samples a generated item, checks it with the engine and tfjs, and reports { ok, items, errors }', async () => {
    const dir = bankFolder('good', { 'bank.yaml': MANIFEST, 'items/facts.yaml': `items:\n${FACT}`, 'items/generated.yaml': `items:\n${GENERATED}` });
    const report = await checkBank(dir, 2);
    expect(report).toMatchObject({ ok: true, bank: 'tiny', items: 2, errors: [] });
    expect(report.samples).toEqual([
      expect.objectContaining({ item: 'gen-small-conv', family: 'conv-output-size', path: 'items/generated.yaml: items[0]', ok: true, tfjs: { verified: 2, fieldMeasured: 2, available: true, agrees: true } }),
    ]);
  });

  it('reads folders in name order with paths relative to the bank', () => {
    const dir = bankFolder('order', { 'bank.yaml': MANIFEST, 'b.yaml': 'items: []\n', 'a/x.yaml': 'items: []\n', 'notes.txt': 'ignored' });
    expect(readBankFiles(dir, fs).files.map((f) => f.name)).toEqual(['a/x.yaml', 'b.yaml', 'bank.yaml']);
  });

  it('refuses an oversized file without reading it', () => {
    const dir = bankFolder('huge', { 'bank.yaml': MANIFEST, 'big.yaml': `items: []\n#${'x'.repeat(3 * 1024 * 1024)}\n` });
    const read = readBankFiles(dir, fs);
    expect(read.files.map((f) => f.name)).toEqual(['bank.yaml']);
    expect(read.errors[0]).toMatchObject({ path: 'big.yaml', message: expect.stringMatching(/limit is 2,097,152 bytes/) });
  });

  it('usage errors: no subcommand, no path, a bad --samples', async () => {
    const run = (argv: string[]) => bank.run(parseArgs(argv, bank));
    await expect(run([])).rejects.toThrow(UsageError);
    await expect(run(['check'])).rejects.toThrow(/give one bank path/);
    await expect(run(['check', join(scratch, 'nowhere')])).rejects.toThrow(/no such file or folder/);
    await expect(run(['check', ROOT, '--samples', '-1'])).rejects.toThrow(/between 0 and 100/);
  });

  it('exits 1 with path-and-message errors for a bad bank, 2 for a missing path, 0 for a good one', () => {
    const bad = bankFolder('bad', { 'bank.yaml': MANIFEST, 'items.yaml': `items:\n${FACT.replace('answer: a', 'answer: c')}${GENERATED.replace('[3]', '[3, 1000000000]')}` });
    const failed = stride(['bank', 'check', bad, '--json']);
    expect(failed.code).toBe(1);
    const doc = JSON.parse(failed.stdout);
    expect(Object.keys(doc).slice(0, 4)).toEqual(['ok', 'bank', 'items', 'errors']);
    expect(doc.ok).toBe(false);
    expect(doc.errors).toEqual([
      expect.objectContaining({ path: 'items.yaml: items[1].ranges.channels.choices[1]', message: expect.stringMatching(/≤ 8192/) }),
      expect.objectContaining({ path: 'items.yaml: items[0].answer', message: "answer 'c' is not an option key; keys: a, b" }),
    ]);

    const missing = stride(['bank', 'check', join(scratch, 'nowhere'), '--json']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/no such file or folder/);

    const good = bankFolder('good-cli', { 'bank.yaml': MANIFEST, 'facts.yaml': `items:\n${FACT}` });
    const passed = stride(['bank', 'check', good, '--json', '--samples', '0']);
    expect(passed.code).toBe(0);
    expect(JSON.parse(passed.stdout)).toMatchObject({ ok: true, bank: 'tiny', items: 1, errors: [] });
  });
});
