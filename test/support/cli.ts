/** Runs the command-line tool as a user would (through tsx), for the tests of its commands. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

export interface StrideRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `stride <args>` (environment: this process's, plus `env`), returning exit code and both streams. */
export async function strideWith(env: Record<string, string | undefined>, ...args: string[]): Promise<StrideRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'bin/stride.ts'), ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Runs `stride <args>` in this process's environment. */
export function stride(...args: string[]): Promise<StrideRun> {
  return strideWith({}, ...args);
}
