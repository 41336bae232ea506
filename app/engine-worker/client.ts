/**
 * The page's side of the engine worker: one worker per page, started by the first check and kept
 * warm for the rest (tfjs, the backend and its compiled shaders load once). When no worker can
 * start, the check runs in the page instead, by a dynamic import, and the outcome says why.
 */
import type { FromWorker, PanelOutcome, PanelRequest, StageId, ToWorker } from './protocol';

/** Where the build puts the bundled worker (package.json's `build`, under Remix's publicPath). */
const WORKER_PATH = '/build/engine-worker.js';

interface Engine {
  post(message: ToWorker): void;
  listen(id: number, handler: (message: FromWorker) => void): () => void;
}

let engine: Promise<Engine> | null = null;
/** The worker has said it is ready (tfjs loaded). */
let loaded = false;
let nextId = 1;

/** The build's version: a new build's worker is a new URL, so an immutable cache never serves an old one. */
function workerUrl(): string {
  const version = (globalThis as { __remixManifest?: { version?: string } }).__remixManifest?.version ?? '';
  return version ? `${WORKER_PATH}?v=${encodeURIComponent(version)}` : WORKER_PATH;
}

function startWorker(): Promise<Engine> {
  return new Promise((resolve, reject) => {
    if (typeof Worker === 'undefined') return reject(new Error('this browser has no Web Workers'));
    const worker = new Worker(workerUrl(), { name: 'stride-engine' });
    const handlers = new Map<number, (message: FromWorker) => void>();
    let ready = false;
    worker.onerror = (event) => {
      event.preventDefault();
      const reason = new Error(event.message ? `the engine worker failed: ${event.message}` : 'the engine worker could not be loaded');
      if (!ready) return reject(reason);
      for (const [id, handler] of handlers) handler({ type: 'error', id, message: reason.message });
      // A dead worker never answers again: the next check starts a new one (or falls back to the page).
      worker.terminate();
      engine = null;
      loaded = false;
    };
    worker.onmessage = ({ data }: MessageEvent<FromWorker>) => {
      if (data.type === 'ready') {
        ready = true;
        loaded = true;
        return resolve({
          post: (message) => worker.postMessage(message),
          listen(id, handler) {
            handlers.set(id, handler);
            return () => handlers.delete(id);
          },
        });
      }
      handlers.get(data.id)?.(data);
    };
  });
}

/**
 * Start the worker now (loading tfjs) without checking anything, e.g. while a student reads a
 * question whose answer will be checked: the first check then skips most of the load. Idempotent.
 */
export function warmEngine(): void {
  engine ??= startWorker();
  engine.catch(() => undefined); // a failure is reported by the check that needs the worker
}

/**
 * Check `request` in the engine worker; `onStage` hears each stage as it starts ('load' while
 * tfjs has not loaded in the worker yet). Rejects with the worker's message when the model cannot be built.
 */
export async function checkInEngine(request: PanelRequest, onStage: (stage: StageId) => void): Promise<PanelOutcome> {
  let started: Engine;
  try {
    if (!loaded) onStage('load');
    engine ??= startWorker();
    started = await engine;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const { runPanelCheck } = await import('./panel-check');
    const outcome = await runPanelCheck(request, onStage);
    const inPage = `run in the page, not in a worker (${reason})`;
    return { ...outcome, fallback: outcome.fallback ? `${outcome.fallback}; ${inPage}` : inPage };
  }
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const stop = started.listen(id, (message) => {
      if (message.type === 'stage') return onStage(message.stage);
      stop();
      if (message.type === 'result') resolve(message.outcome);
      else if (message.type === 'error') reject(new Error(message.message));
    });
    started.post({ type: 'check', id, request });
  });
}
