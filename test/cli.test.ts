import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');

/** Runs `stride <args>` as a user would (through tsx), returning exit code and both streams. */
export async function stride(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'bin/stride.ts'), ...args], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

test('--help lists the commands', async () => {
  const { code, stdout } = await stride('--help');
  expect(code).toBe(0);
  expect(stdout).toMatch(/Commands:/);
  expect(stdout).toMatch(/bench \[filter\]/);
});

test('an unknown command prints an error on stderr and exits 2', async () => {
  const { code, stdout, stderr } = await stride('frobnicate', '--json');
  expect(code).toBe(2);
  expect(stdout).toBe('');
  expect(stderr).toMatch(/unknown command 'frobnicate'/);
});

test('an unknown option is a usage error naming it', async () => {
  const { code, stderr } = await stride('bench', '--frob');
  expect(code).toBe(2);
  expect(stderr).toMatch(/unknown option '--frob'/);
});
