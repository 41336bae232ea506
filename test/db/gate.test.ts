/**
 * One gate for generated items (docs/decisions/0010-one-home-for-a-bank-item.md): a bank that
 * `stride bank check` accepts is one the web editor publishes, and one it refuses is refused
 * there too. The CLI's own check path (checkBank, tfjs included) against the real publish path
 * on a real database (SQLite or PostgreSQL).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { checkBank } from '../../bin/commands/bank';
import { publishBank, saveBankText } from '../../app/models/authoring.server';
import { eachTestWithInstructor } from './fixture';

const scratch = mkdtempSync(join(tmpdir(), 'stride-gate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const each = eachTestWithInstructor();
const now = new Date('2025-03-03T12:00:00Z');

const generated = (id: string, family: string, extra: string) => `  - id: ${id}
    kind: generated
    topic: conv-arithmetic
    tags: []
    title: ${id}
    family: ${family}
    difficulty: 1
${extra}`;

const FACT = `  - id: pool-params
    kind: basic
    topic: parameters
    tags: []
    front: Parameters of a max pool?
    back: "0"
`;

/** Name → items; each bank is written as one file, the way both paths read it. */
const BANKS: Record<string, string> = {
  'alexnet-conv1': generated('alexnet-conv1', 'conv-output-size', '    ranges: { size: 227, channels: 3, filters: 96, kernel: 11, stride: 4, padding: 0, dilation: 1, square: 1 }\n') + FACT,
  'family-defaults': generated('conv-defaults', 'conv-params', '') + generated('depth', 'stochastic-depth-expected', '    tolerance: { absolute: 0.01 }\n'),
  // A window larger than the padded input: the family cannot draw a network.
  'impossible-ranges': generated('kernel-too-big', 'conv-output-size', '    ranges: { size: 7, kernel: 11, padding: 0, dilation: 1, square: 1 }\n'),
  // Dilation 0: the family's formula says 81×81 while the analysis of its spec says 78×78.
  // `bank check` (tfjs agrees with the analysis) used to accept it; publishing refused it.
  'answer-off-the-analysis': generated('dilation-zero', 'conv-output-size', '    ranges: { size: { min: 80, max: 90 }, kernel: { choices: [3, 5, 7] }, dilation: 0 }\n'),
  'unknown-family': generated('nowhere', 'no-such-family', ''),
};

/** The bank check's verdict: checkBank is what `stride bank check <path>` runs, at its default samples. */
async function cliAccepts(name: string, text: string): Promise<boolean> {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'bank.yaml'), text);
  return (await checkBank(dir, 5)).ok;
}

/** The web's verdict: the editor saves the text, then the instructor publishes it. */
async function webAccepts(text: string): Promise<boolean> {
  const saved = await saveBankText({ db: each.t.db, userId: each.instructor, text, now });
  if (!saved.ok) return false;
  return (await publishBank({ db: each.t.db, userId: each.instructor, bankId: saved.bank.id })).ok;
}

describe('stride bank check and publishing reach the same verdict', () => {
  test.each(Object.keys(BANKS))('%s', async (name) => {
    const text = `id: ${name}\ntitle: ${name}\ndescription: A bank for the gate.\nversion: "1.0.0"\nitems:\n${BANKS[name]}`;
    const cli = await cliAccepts(name, text);
    const web = await webAccepts(text);
    expect({ name, web }).toEqual({ name, web: cli });
    // And the verdicts are the right ones: only banks whose every sample the engine confirms pass.
    expect(cli).toBe(name === 'alexnet-conv1' || name === 'family-defaults');
  });
});
