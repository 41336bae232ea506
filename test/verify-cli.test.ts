/** `stride verify` as a user runs it: the JSON contract of README.md ("The command line") and its exit codes. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

async function stride(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'bin/stride.ts'), ...args], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

test('verify <arch> --json prints one document { arch, backend, ok, output, layers, ms } and exits 0', async () => {
  const { code, stdout, stderr } = await stride('verify', 'inception_naive_cs231n', '--json');
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const result = JSON.parse(stdout) as { arch: string; backend: string; ok: boolean; ms: number; output: { engine: number[]; tfjs: number[]; ok: boolean }; layers: { name: string; ok: boolean; engine: { output: number[] }; tfjs: { output: number[] } }[] };
  expect(result.arch).toBe('inception_naive_cs231n');
  expect(result.backend).toBe('cpu+wasm');
  expect(result.ok).toBe(true);
  expect(result.ms).toBeGreaterThan(0);
  // The lecture's naive module: 28×28×(128 + 192 + 96 + 256) = 28×28×672.
  expect(result.layers[0]).toMatchObject({ name: 'inception', ok: true, engine: { output: [28, 28, 672] }, tfjs: { output: [28, 28, 672] } });
  // The network's final output at top level: the concat's, which no leaf row has (the last is 28×28×256).
  expect(result.output).toEqual({ engine: [28, 28, 672], tfjs: [28, 28, 672], ok: true });
  expect(result.layers[result.layers.length - 1]!.tfjs.output).toEqual([28, 28, 256]);
});

test('the human form names every layer; an unknown arch exits 2 listing the known ones', async () => {
  const human = await stride('verify', 'inception_bottleneck_cs231n', '--fields', 'final');
  expect(human.code).toBe(0);
  expect(human.stdout).toMatch(/^inception_bottleneck_cs231n: ok on cpu\+wasm .*; output 28×28×480 \(engine and tfjs\)$/m);
  expect(human.stdout).toMatch(/✓ +inception\/branch2\/conv3x3_192 +conv +28×28×192 +110,784 +86,704,128/);
  const unknown = await stride('verify', 'lenet9', '--json');
  expect(unknown.code).toBe(2);
  expect(unknown.stdout).toBe('');
  expect(unknown.stderr).toMatch(/unknown architecture 'lenet9'; known: alexnet_cs231n, /);
  const badFlag = await stride('verify', 'vgg11', '--fields', 'some');
  expect(badFlag.code).toBe(2);
  expect(badFlag.stderr).toMatch(/--fields must be one of all, top, final, none; got 'some'/);
});
