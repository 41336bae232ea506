/**
 * The explorer's in-browser check of a zoo network, row by row so the page can show progress.
 *
 * Loaded only by a dynamic import from the Verify button: this module pulls in tfjs, and a page
 * that never verifies must not download it.
 *
 * The check is verifySpec's, on the backend the page chose; its per-row progress callbacks let
 * the page mark each row as it finishes and repaint between receptive-field measurements (one
 * gradient each, the slow part).
 */
import { analyze } from '../../../engine/analysis';
import { selectBestBackend, tensorCount } from '../../../engine/tfjs/browser';
import { verifySpec } from '../../../engine/tfjs/verify';
import type { Spec } from '../../../engine/spec';
import { getArch } from '../../../engine/zoo';

/** The check of one analysis row. */
export interface RowVerdict {
  ok: boolean;
  /** One line per disagreement, naming both numbers. */
  mismatches: string[];
  fieldMeasured: boolean;
}

export interface VerifyProgress {
  done: number;
  total: number;
  /** The row being checked, or the step in progress. */
  current: string;
  backend: string;
  fallback: string | null;
}

export interface BrowserVerification {
  arch: string;
  /** The backend that actually ran. */
  backend: string;
  /** Why WebGL was not used, when it was not. */
  fallback: string | null;
  ok: boolean;
  /** The network's final output: the analysis's and the model's output tensor. */
  output: { engine: number[]; tfjs: number[]; ok: boolean } | null;
  layers: number;
  fieldsMeasured: number;
  ms: number;
  mismatches: { name: string; lines: string[] }[];
  /** Tensors still allocated after the check (0 when everything was disposed). */
  tensorsLeaked: number;
  /** Set when the model could not be built or run at all. */
  error: string | null;
}

export interface VerifyCallbacks {
  onProgress(progress: VerifyProgress): void;
  onRow(index: number, verdict: RowVerdict): void;
}

/** Let the page repaint at least this often while cheap rows go by. */
const ROWS_PER_PAINT = 25;

/** Give the browser a frame to paint the progress. */
function nextPaint(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Verify a network in this browser on WebGL (or the CPU fallback, reported): zoo network `id`, or
 * `spec` under that name (the workbench's edited network). Disposes every model it builds.
 */
export async function verifyInBrowser(id: string, callbacks: VerifyCallbacks, spec: Spec = getArch(id).spec): Promise<BrowserVerification> {
  const { backend, fallback } = await selectBestBackend();
  const tensorsBefore = tensorCount();
  const t0 = performance.now();
  const base = { arch: id, backend, fallback };
  const rows = analyze(spec).layers.length;
  callbacks.onProgress({ backend, fallback, done: 0, total: rows, current: 'building the model and comparing shapes, params and MACs' });
  await nextPaint();
  try {
    const result = await verifySpec(spec, {
      arch: id,
      backends: { structure: backend, field: backend },
      progress: {
        async beforeField(index, row) {
          callbacks.onProgress({ backend, fallback, done: index, total: rows, current: `measuring the receptive field of ${row.name}` });
          await nextPaint();
        },
        async row(index, check, total) {
          callbacks.onRow(index, { ok: check.ok, mismatches: check.mismatches, fieldMeasured: check.tfjs.rf !== null });
          if (index % ROWS_PER_PAINT === ROWS_PER_PAINT - 1) {
            callbacks.onProgress({ backend, fallback, done: index + 1, total, current: check.name });
            await nextPaint();
          }
        },
      },
    });
    const total = result.layers.length;
    callbacks.onProgress({ backend, fallback, done: total, total, current: 'done' });
    return {
      ...base,
      ok: result.ok,
      output: result.output,
      layers: total,
      fieldsMeasured: result.fieldsMeasured,
      ms: Math.round(performance.now() - t0),
      mismatches: result.layers.filter((l) => !l.ok).map((l) => ({ name: l.name, lines: l.mismatches })),
      tensorsLeaked: tensorCount() - tensorsBefore,
      error: null,
    };
  } catch (err) {
    return {
      ...base,
      ok: false,
      output: null,
      layers: 0,
      fieldsMeasured: 0,
      ms: Math.round(performance.now() - t0),
      mismatches: [],
      tensorsLeaked: tensorCount() - tensorsBefore,
      error: err instanceof Error ? err.message : String(err),
    };
  }
}
