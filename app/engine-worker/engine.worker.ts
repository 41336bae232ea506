/**
 * The engine worker (bundled by esbuild to public/build/engine-worker.js, see package.json's
 * `build`): tfjs loads here and only here, and stays loaded, with its backend and compiled
 * shaders, for every later check on the page. WebGL runs on an OffscreenCanvas.
 */
import type { FromWorker, ToWorker } from './protocol';
import { runPanelCheck } from './panel-check';

const scope = globalThis as unknown as { postMessage(message: FromWorker): void; onmessage: ((event: { data: ToWorker }) => void) | null };

// Checks run one after another: they share one backend and one set of tensors.
let queue: Promise<void> = Promise.resolve();

scope.onmessage = ({ data }) => {
  if (data.type !== 'check') return;
  const { id, request } = data;
  queue = queue.then(async () => {
    try {
      const outcome = await runPanelCheck(request, (stage) => scope.postMessage({ type: 'stage', id, stage }));
      scope.postMessage({ type: 'result', id, outcome });
    } catch (err) {
      scope.postMessage({ type: 'error', id, message: err instanceof Error ? err.message : String(err) });
    }
  });
};

scope.postMessage({ type: 'ready' });
