/**
 * Backend selection. Never silent: the choice says which backend runs and, when the preferred one
 * could not start, which one it fell back from and why, so a page or a command can show it.
 *
 * Measured (docs/decisions/0002-tfjs-backends.md): in Node, wasm runs the receptive-field
 * gradients about 3× faster than cpu, while cpu allocates a large zero-weight model some 50×
 * faster (wasm grows its heap by copying). Hence Node verifies shapes on cpu and gradients on wasm.
 */
import * as tf from '@tensorflow/tfjs';

export interface BackendChoice {
  /** The backend now in use. */
  backend: string;
  /** The backend asked for first. */
  requested: string;
  /** Set when `backend` is not `requested`: what failed and why. */
  fallback: { from: string; reason: string } | null;
}

/** Which backend builds the zero-weight model (shapes, counts) and which runs the field gradients. */
export interface VerifyBackends {
  structure: string;
  field: string;
}

/** How a reason names a backend to a reader. */
const BACKEND_NAMES: Record<string, string> = { webgl: 'WebGL', wasm: 'WASM', cpu: 'the CPU backend' };

/** Use the first of `preferred` that initialises (e.g. ['webgl', 'cpu'] in the browser). */
export async function chooseBackend(preferred: readonly string[]): Promise<BackendChoice> {
  // tfjs prints a hint about tfjs-node on first use in Node; our output streams must stay clean.
  tf.env().set('PROD', true);
  const requested = preferred[0] ?? 'cpu';
  const failures: string[] = [];
  for (const name of preferred) {
    if (!tf.findBackendFactory(name)) {
      failures.push(`${BACKEND_NAMES[name] ?? name} is not available here (no ${name} backend registered)`);
      continue;
    }
    let ok = false;
    try {
      ok = await tf.setBackend(name);
    } catch (err) {
      failures.push(`${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    if (ok) {
      await tf.ready();
      return { backend: name, requested, fallback: name === requested ? null : { from: requested, reason: failures.join('; ') } };
    }
    failures.push(`${name} could not initialise${name === 'webgl' ? ' (no WebGL context)' : ''}`);
  }
  throw new Error(`no tfjs backend could start: ${failures.join('; ')}`);
}

/**
 * Register the wasm backend, loading its .wasm files from `wasmPath` (a directory path in Node,
 * a URL prefix in a browser; it must end in '/').
 */
export async function registerWasm(wasmPath: string): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(wasmPath);
}

/** Switch to `name` if it is not already the current backend. */
export async function useBackend(name: string): Promise<void> {
  if (tf.getBackend() === name) return;
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend '${name}' could not initialise`);
}
