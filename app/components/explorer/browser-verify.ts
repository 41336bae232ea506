/**
 * The explorer's in-browser check of a zoo network, row by row so the page can show progress.
 *
 * Loaded only by a dynamic import from the Verify button: this module pulls in tfjs, and a page
 * that never verifies must not download it.
 *
 * Shapes, params (both conventions) and MACs of every row come from verifySpec in one pass (a
 * model with zero weights: building it is cheap). The receptive fields, one gradient per row and
 * the slow part, are measured here one row at a time with the verifier's own field model and
 * measurement, yielding to the browser between rows. The field model is one channel wide (a field
 * depends on kernels, strides and padding, not widths): at full width AlexNet's fields took
 * 10–60 s per row on a software GPU.
 *
 * The field comparison mirrors verifySpec's (including the border cut of measureReach); it would
 * go if verifySpec reported each row as it finishes.
 */
import { analyze } from '../../../engine/analysis';
import type { LayerAnalysis } from '../../../engine/analysis-types';
import { buildModel } from '../../../engine/tfjs/build';
import { selectBestBackend, tensorCount } from '../../../engine/tfjs/browser';
import { centralUnit, fieldSpan, measureField, measureReach, type FieldSpan } from '../../../engine/tfjs/field';
import { verifySpec } from '../../../engine/tfjs/verify';
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

/** Networks up to this many rows get every map row's field measured; larger ones only their top-level rows (as verifySpec does). */
const ALL_FIELDS_UP_TO = 60;
/** Let the page repaint at least this often while cheap rows go by. */
const ROWS_PER_PAINT = 25;

/** Give the browser a frame to paint the progress. */
function nextPaint(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Rows whose field is measured: map rows (all, or the top-level ones) plus the last map of more than one pixel. */
export function fieldRows(rows: readonly LayerAnalysis[]): Set<number> {
  const maps = rows.map((r, i) => [r, i] as const).filter(([r]) => r.output.length === 3);
  const all = rows.length <= ALL_FIELDS_UP_TO;
  const chosen = new Set(maps.filter(([r]) => all || r.depth === 0).map(([, i]) => i));
  const lastMap = [...maps].reverse().find(([r]) => r.output[0]! * r.output[1]! > 1);
  if (lastMap) chosen.add(lastMap[1]);
  return chosen;
}

function touchesBorder(s: readonly [number, number], n: number): boolean {
  return s[0] === 0 || s[1] === n - 1;
}

/** A field that runs past the border is seen only as far as the layer reads at all (floor rounding leaves the last rows unread). */
function cutTo(s: FieldSpan, reach: FieldSpan): FieldSpan {
  return { h: [Math.max(s.h[0], reach.h[0]), Math.min(s.h[1], reach.h[1])], w: [Math.max(s.w[0], reach.w[0]), Math.min(s.w[1], reach.w[1])] };
}

function spanText(s: FieldSpan): string {
  return `rows ${s.h[0]}–${s.h[1]}, cols ${s.w[0]}–${s.w[1]}`;
}

function sameSpan(a: FieldSpan, b: FieldSpan): boolean {
  return a.h[0] === b.h[0] && a.h[1] === b.h[1] && a.w[0] === b.w[0] && a.w[1] === b.w[1];
}

/** Verify zoo network `id` in this browser on WebGL (or the CPU fallback, reported). Disposes every model it builds. */
export async function verifyInBrowser(id: string, callbacks: VerifyCallbacks): Promise<BrowserVerification> {
  const { backend, fallback } = await selectBestBackend();
  const tensorsBefore = tensorCount();
  const t0 = performance.now();
  const spec = getArch(id).spec;
  const rows = analyze(spec).layers;
  const names = rows.map((r) => r.name);
  const total = rows.length;
  const result = (fields: number, verdicts: RowVerdict[], error: string | null): BrowserVerification => {
    const mismatches = verdicts.flatMap((v, i) => (v.ok ? [] : [{ name: names[i] ?? `row ${i + 1}`, lines: v.mismatches }]));
    return {
      arch: id,
      backend,
      fallback,
      ok: error === null && verdicts.length >= total && mismatches.length === 0,
      layers: total,
      fieldsMeasured: fields,
      ms: Math.round(performance.now() - t0),
      mismatches,
      tensorsLeaked: tensorCount() - tensorsBefore,
      error,
    };
  };

  callbacks.onProgress({ backend, fallback, done: 0, total, current: 'building the model and comparing shapes, params and MACs' });
  await nextPaint();
  const verdicts: RowVerdict[] = [];
  let fields = 0;
  try {
    const structure = await verifySpec(spec, { arch: id, receptiveField: 'none' });
    const chosen = fieldRows(rows);
    const field = chosen.size > 0 ? buildModel(spec, { weights: 'field', linear: true, spatialOnly: true, narrow: true }) : null;
    try {
      const checks = structure.layers;
      for (let i = 0; i < Math.max(total, checks.length); i++) {
        const check = checks[i];
        const row = rows[i];
        if (check && !row) names[i] = check.name;
        const verdict: RowVerdict = { ok: check?.ok ?? false, mismatches: check ? [...check.mismatches] : [`no check for row ${row?.name}`], fieldMeasured: false };
        const entry = field?.layers[i];
        const [, entryH, entryW] = entry?.output.shape ?? [];
        if (row && field && entry && chosen.has(i) && entryH === row.output[0] && entryW === row.output[1]) {
          callbacks.onProgress({ backend, fallback, done: i, total, current: `measuring the receptive field of ${row.name}` });
          await nextPaint();
          const [, inH, inW] = field.input.shape as [null, number, number, number];
          const unit = centralUnit(row.output[0]!, row.output[1]!);
          let expected: FieldSpan = { h: fieldSpan(row.rf, unit[0], inH), w: fieldSpan(row.rfW, unit[1], inW) };
          if (touchesBorder(expected.h, inH) || touchesBorder(expected.w, inW)) expected = cutTo(expected, measureReach(field, entry));
          const measured = measureField(field, entry);
          verdict.fieldMeasured = true;
          fields++;
          if (!sameSpan(expected, measured.span)) {
            verdict.ok = false;
            verdict.mismatches.push(`receptive field of unit (${unit[0]}, ${unit[1]}): engine ${row.rf.size}×${row.rfW.size} → ${spanText(expected)}, tfjs ${spanText(measured.span)}`);
          }
        }
        verdicts.push(verdict);
        callbacks.onRow(i, verdict);
        if (i % ROWS_PER_PAINT === ROWS_PER_PAINT - 1) {
          callbacks.onProgress({ backend, fallback, done: i + 1, total, current: row?.name ?? '' });
          await nextPaint();
        }
      }
    } finally {
      field?.model.dispose();
    }
  } catch (err) {
    return result(fields, verdicts, err instanceof Error ? err.message : String(err));
  }
  callbacks.onProgress({ backend, fallback, done: total, total, current: 'done' });
  return result(fields, verdicts, null);
}
