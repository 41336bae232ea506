import { useEffect, useRef, useState } from 'react';
import type { EnginePanelProps } from '../components/engine-panel';
import type { PanelOutcome, PanelRequest, StageId } from './protocol';

// The panel's texts. The check's own sentences (report, agreement, note) come from app/engine-report.ts, in the worker.
const STAGE_TEXT: Record<StageId, string> = {
  load: 'loading TensorFlow.js',
  backend: 'starting WebGL',
  build: 'building the model',
  compare: 'comparing shapes and parameters',
  field: 'measuring the receptive field',
};
export const TEXT = {
  title: 'Checked by a real model',
  checking: (stage: string) => `Checking: ${stage}…`,
  done: (ms: number) => `Done in ${ms.toLocaleString('en-US')} ms.`,
  failed: 'The check stopped.',
  stageTime: (stage: string, ms: number | null) => (ms === null ? `${stage}…` : `${stage}: ${ms.toLocaleString('en-US')} ms`),
  notBuilt: (error: string) => `The model could not be built here: ${error}`,
  onBackend: 'on',
  fieldsOn: (backend: string) => ` (receptive fields on ${backend})`,
  checkedIn: (ms: number) => `, checked in ${ms.toLocaleString('en-US')} ms.`,
  agreement: 'The correct answer against the model: ',
  fallback: (reason: string) => `Not on WebGL in a worker: ${reason}.`,
  field: 'The pixels one output unit sees: the gradient of that unit with respect to the input.',
  fieldLabel: (map: { unit: number[]; height: number; width: number }) => `Measured receptive field of output unit (${map.unit.join(', ')}) on the ${map.height}×${map.width} input`,
  measuringField: 'Measuring the receptive field',
};

interface Stage {
  id: StageId;
  /** Milliseconds the stage took, once the next one (or the end) came. */
  ms: number | null;
}

/**
 * After an answer: check the variant's network with a real tfjs model in the engine worker
 * (app/engine-worker), saying each stage as it runs, then what the model found (its final output,
 * params, MACs) and whether it agrees with the engine's analysis; when the variant's `source` names
 * one quantity of the network, whether the correct answer is what the model measured, and, under a
 * wrong answer, that the student's answer differs. Receptive-field questions also get the measured
 * field drawn. With `report`, the outcome is sent to /variant-checks ("verified on N").
 */
export default function EnginePanelView({ spec, answer, source = null, student = null, showField = false, report = undefined }: EnginePanelProps) {
  const [outcome, setOutcome] = useState<PanelOutcome | null>(null);
  const [stages, setStages] = useState<Stage[]>([]);
  const [totalMs, setTotalMs] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const request: PanelRequest = { spec, answer, source, student: student ? { correct: student.correct, readAs: student.readAs } : null, showField };
  // Rerun only when the question changes, not when a parent hands over equal new objects.
  const key = JSON.stringify(request);
  const reportKey = report ? `${report.itemId}:${report.seed}` : '';

  useEffect(() => {
    let live = true;
    setOutcome(null);
    setError(null);
    setTotalMs(null);
    setStages([]);
    const t0 = performance.now();
    let last = t0;
    // The running stage's time is fixed when the next one starts (read now: React applies updates later).
    const close = (list: Stage[], ms: number) => list.map((s, i) => (i === list.length - 1 && s.ms === null ? { ...s, ms } : s));
    const lap = () => {
      const now = performance.now();
      const ms = Math.round(now - last);
      last = now;
      return ms;
    };
    const onStage = (id: StageId) => {
      if (!live) return;
      const ms = lap();
      setStages((list) => [...close(list, ms), { id, ms: null }]);
    };
    const finish = () => {
      const ms = lap();
      setStages((list) => close(list, ms));
      setTotalMs(Math.round(last - t0));
    };
    const parsed = JSON.parse(key) as PanelRequest;
    import('./client')
      .then((m) => m.checkInEngine(parsed, onStage))
      .then((result) => {
        if (!live) return;
        finish();
        setOutcome(result);
        if (reportKey) sendReport(reportKey, result);
      })
      .catch((err: unknown) => {
        if (!live) return;
        finish();
        setError(err instanceof Error ? err.message : String(err));
      });
    return () => {
      live = false;
    };
  }, [key, reportKey]);

  const map = outcome?.map ?? null;
  useEffect(() => {
    const c = canvas.current;
    if (!c || !map) return;
    c.width = map.width;
    c.height = map.height;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(map.width, map.height);
    for (let i = 0; i < map.values.length; i++) {
      const v = map.values[i]!;
      const on = v > 0;
      img.data[i * 4] = on ? 47 : 240;
      img.data[i * 4 + 1] = on ? Math.round(91 + 120 * (1 - v)) : 240;
      img.data[i * 4 + 2] = on ? 211 : 240;
      img.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [map]);

  const running = !outcome && !error;
  const current = stages[stages.length - 1];
  const status = running ? (current ? TEXT.checking(STAGE_TEXT[current.id]) : '') : error ? TEXT.failed : TEXT.done(totalMs ?? 0);
  return (
    // A region, not an aside: it sits inside the card, in main, and a complementary landmark belongs at the top level.
    <section
      className="engine-panel"
      aria-label="Engine check"
      data-testid="engine-panel"
      data-state={running ? 'running' : error ? 'error' : 'done'}
      data-backend={outcome?.backend ?? ''}
      data-ok={outcome ? String(outcome.ok) : ''}
      data-ms={totalMs ?? ''}
    >
      <h3>{TEXT.title}</h3>
      <p aria-live="polite" data-testid="engine-status">
        {status}
      </p>
      <div aria-busy={running}>
        <ol className="engine-stages" data-testid="engine-stages">
          {stages.map((s) => (
            <li key={s.id} data-stage={s.id} data-ms={s.ms ?? ''}>
              {TEXT.stageTime(STAGE_TEXT[s.id], s.ms)}
            </li>
          ))}
        </ol>
        {error ? <p className="field-error">{TEXT.notBuilt(error)}</p> : null}
        {outcome ? (
          <>
            <p data-testid="model-report" data-output={outcome.report.output.join('×')}>
              {outcome.report.text}; {TEXT.onBackend} <strong data-testid="engine-backend">{outcome.backend}</strong>
              {outcome.fieldBackend && outcome.fieldBackend !== outcome.backend ? TEXT.fieldsOn(outcome.fieldBackend) : null}
              {TEXT.checkedIn(totalMs ?? 0)}
            </p>
            <p data-testid="answer-agreement" data-agreement={outcome.agreement.status}>
              {TEXT.agreement}
              {outcome.agreement.text}.
            </p>
            {outcome.note ? (
              <p data-testid="student-differs" className="notice">
                {outcome.note}
              </p>
            ) : null}
            {outcome.fallback ? (
              <p className="notice" data-testid="engine-fallback">
                {TEXT.fallback(outcome.fallback)}
              </p>
            ) : null}
            {outcome.mismatches.length > 0 ? (
              <ul>
                {outcome.mismatches.map((l) => (
                  <li key={l.name}>
                    {l.name}: {l.lines.join('; ')}
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        ) : null}
      </div>
      {showField ? (
        <figure className="field-map">
          <canvas ref={canvas} role="img" aria-label={map ? TEXT.fieldLabel(map) : TEXT.measuringField} />
          <figcaption>{TEXT.field}</figcaption>
        </figure>
      ) : null}
    </section>
  );
}

/** The outcome for "verified on N" (POST /variant-checks); best effort: a failure changes nothing for the student. */
function sendReport(reportKey: string, outcome: PanelOutcome): void {
  const split = reportKey.lastIndexOf(':');
  const lines = [...outcome.mismatches.map((m) => `${m.name}: ${m.lines.join('; ')}`), ...(outcome.agreement.status === 'differs' ? [outcome.agreement.text] : [])];
  const body = new FormData();
  body.set('itemId', reportKey.slice(0, split));
  body.set('seed', reportKey.slice(split + 1));
  body.set('tfjsOk', String(outcome.ok));
  body.set('detail', outcome.ok ? '' : lines.join('\n').slice(0, 2000));
  fetch('/variant-checks', { method: 'POST', body, keepalive: true }).catch(() => undefined);
}
