/**
 * "Verify in this browser" for the workbench's network: browser-verify.ts checks a zoo network by
 * its id; the workbench's network is an edited spec, so this calls the same engine check
 * (engine/tfjs/verify.ts verifySpec) on the spec and reports in browser-verify's own types.
 * Loaded only by a dynamic import from the button (it pulls in tfjs).
 * TODO(helper D): once VerifyPanel takes a `spec` prop, use it and drop this file.
 */
import type { BrowserVerification, VerifyCallbacks } from '../explorer/browser-verify';
import { analyze } from '../../../engine/analysis';
import type { Spec } from '../../../engine/spec';
import { selectBestBackend, tensorCount } from '../../../engine/tfjs/browser';
import { verifySpec } from '../../../engine/tfjs/verify';

const nextPaint = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function verifyWorkbenchSpec(spec: Spec, callbacks: VerifyCallbacks): Promise<BrowserVerification> {
  const { backend, fallback } = await selectBestBackend();
  const before = tensorCount();
  const t0 = performance.now();
  const total = analyze(spec).layers.length;
  const base = { arch: 'workbench', backend, fallback };
  callbacks.onProgress({ backend, fallback, done: 0, total, current: 'building the model and comparing shapes, params and MACs' });
  await nextPaint();
  try {
    const result = await verifySpec(spec, {
      arch: 'workbench',
      backends: { structure: backend, field: backend },
      progress: {
        async beforeField(index, row) {
          callbacks.onProgress({ backend, fallback, done: index, total, current: `measuring the receptive field of ${row.name}` });
          await nextPaint();
        },
        row(index, check) {
          callbacks.onRow(index, { ok: check.ok, mismatches: check.mismatches, fieldMeasured: check.tfjs.rf !== null });
        },
      },
    });
    callbacks.onProgress({ backend, fallback, done: result.layers.length, total: result.layers.length, current: 'done' });
    return {
      ...base,
      ok: result.ok,
      output: result.output,
      layers: result.layers.length,
      fieldsMeasured: result.fieldsMeasured,
      ms: Math.round(performance.now() - t0),
      mismatches: result.layers.filter((l) => !l.ok).map((l) => ({ name: l.name, lines: l.mismatches })),
      tensorsLeaked: tensorCount() - before,
      error: result.error ?? null,
    };
  } catch (err) {
    return { ...base, ok: false, output: null, layers: 0, fieldsMeasured: 0, ms: Math.round(performance.now() - t0), mismatches: [], tensorsLeaked: tensorCount() - before, error: err instanceof Error ? err.message : String(err) };
  }
}
