import { useEffect, useMemo, useRef, useState } from 'react';
import type { AnswerSource } from '../../engine/question';
import type { Spec } from '../../engine/spec';
import type { FieldMap, PanelCheck } from '../../engine/tfjs/browser';
import { answerAgreement, modelReport, studentNote, type ExpectedAnswer, type StudentAnswer } from '../engine-report';

// The pure part lives in a neutral module (tests call it); re-exported for the existing callers.
export { answerAgreement, NOT_A_QUANTITY, type Agreement } from '../engine-report';

/**
 * After an answer: load tfjs (only now), build the variant's network on WebGL, run it, and say
 * what the real model found (its final output, params, MACs) and whether it agrees with the
 * engine's analysis; when the variant's `source` names one quantity of the network, whether the
 * correct answer is what the model measured, and, under a wrong answer, that the student's
 * answer differs. Receptive-field questions also get the measured field drawn as a picture.
 */
export function EnginePanel({
  spec,
  answer,
  source = null,
  student = null,
  showField = false,
}: {
  spec: Spec;
  answer: ExpectedAnswer;
  source?: AnswerSource | null;
  student?: StudentAnswer | null;
  showField?: boolean;
}) {
  const [check, setCheck] = useState<PanelCheck | null>(null);
  const [map, setMap] = useState<FieldMap | null>(null);
  const [error, setError] = useState<string | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    let live = true;
    setCheck(null);
    setMap(null);
    setError(null);
    (async () => {
      const tfjs = await import('../../engine/tfjs/browser');
      const result = await tfjs.checkSpecInBrowser(spec);
      if (!live) return;
      setCheck(result);
      if (showField) {
        const m = await tfjs.fieldMap(spec);
        if (live) setMap(m);
      }
    })().catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
    };
  }, [spec, showField]);

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

  const agreement = useMemo(() => (check ? answerAgreement(check, spec, answer, source) : null), [check, spec, answer, source]);
  const report = useMemo(() => (check ? modelReport(check.verify) : null), [check]);
  const note = studentNote(student, answer);
  // Not compared: the model's agreement with the engine alone decides.
  const ok = check && agreement ? check.verify.ok && agreement.status !== 'differs' : null;
  return (
    // A region, not an aside: it sits inside the card, in main, and a complementary landmark belongs at the top level.
    <section
      className="engine-panel"
      aria-label="Engine check"
      aria-busy={!check && !error}
      data-testid="engine-panel"
      data-backend={check?.backend.backend ?? ''}
      data-ok={ok === null ? '' : String(ok)}
    >
      <h3>Checked by a real model</h3>
      {error ? <p className="field-error">The model could not be built here: {error}</p> : null}
      {!check && !error ? <p>Loading TensorFlow.js and building the network…</p> : null}
      {check && report ? (
        <>
          <p data-testid="model-report" data-output={report.output.join('×')}>
            {report.text}; on <strong data-testid="engine-backend">{check.backend.backend}</strong> in {Math.round(check.forwardMs)} ms.
          </p>
          {agreement ? (
            <p data-testid="answer-agreement" data-agreement={agreement.status}>
              The correct answer against the model: {agreement.text}.
            </p>
          ) : null}
          {note ? (
            <p data-testid="student-differs" className="notice">
              {note}
            </p>
          ) : null}
          {check.backend.fallback ? <p className="notice">Running on the CPU backend: {check.backend.fallback}.</p> : null}
          {!check.verify.ok ? (
            <ul>
              {check.verify.layers
                .filter((l) => !l.ok)
                .map((l) => (
                  <li key={l.name}>
                    {l.name}: {l.mismatches.join('; ')}
                  </li>
                ))}
            </ul>
          ) : null}
        </>
      ) : null}
      {showField ? (
        <figure className="field-map">
          <canvas ref={canvas} role="img" aria-label={map ? `Measured receptive field of output unit (${map.unit.join(', ')}) on the ${map.height}×${map.width} input` : 'Measuring the receptive field'} />
          <figcaption>The pixels one output unit sees: the gradient of that unit with respect to the input.</figcaption>
        </figure>
      ) : null}
    </section>
  );
}
