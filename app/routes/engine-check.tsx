import type { MetaFunction } from '@remix-run/node';
import { useSearchParams } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { EnginePanel } from '~/components/engine-panel';
import { benchQuestions } from '~/engine-worker/bench-questions';
import { analyze } from '../../engine/analysis';
import type { Spec } from '../../engine/spec';
import type { EngineCheck } from '../../engine/tfjs/check';
import { getArch } from '../../engine/zoo';
import { countOf } from '../../engine/answers/format';

export const meta: MetaFunction = () => [{ title: 'Stride — engine check' }];

/** The lecture's AlexNet CONV1 + POOL1 on 227×227×3, and its naive inception module on 28×28×256. */
const SPECS: { name: string; title: string; spec: Spec }[] = [
  {
    name: 'alexnet_conv1_pool1',
    title: 'AlexNet CONV1 + POOL1',
    spec: {
      name: 'alexnet_conv1_pool1',
      input: [227, 227, 3],
      layers: [
        { kind: 'conv', name: 'conv1', filters: 96, kernel: 11, stride: 4 },
        { kind: 'relu', name: 'relu1' },
        { kind: 'maxpool', name: 'pool1', kernel: 3, stride: 2 },
      ],
    },
  },
  { name: 'inception_naive_cs231n', title: 'Naive inception module (CS231n)', spec: getArch('inception_naive_cs231n').spec },
];

/** WebGL and cpu compute in float32 with different summation orders: 1e-4 is far above their rounding, far below any real error. */
const TOLERANCE = 1e-4;

const shape = (s: readonly number[]) => s.join('×');

/** At most this many questions in `?questions=N` (the benchmark asks for 20). */
const MAX_QUESTIONS = 40;

export default function EngineCheckPage() {
  const [params] = useSearchParams();
  const questions = Number(params.get('questions') ?? 0);
  return Number.isInteger(questions) && questions > 0 ? <QuestionChecks count={Math.min(questions, MAX_QUESTIONS)} /> : <LectureCheck />;
}

/**
 * `?questions=N`: the engine panel of N varied question variants, one after another in one page
 * (one warm worker), as a student meets them on /review. The benchmark clicks through them.
 */
function QuestionChecks({ count }: { count: number }) {
  const [variants] = useState(() => benchQuestions(count));
  const [index, setIndex] = useState(0);
  const v = variants[index];
  return (
    <section aria-labelledby="engine-check-title" data-testid="question-checks" data-index={index} data-count={variants.length}>
      <h1 id="engine-check-title">Engine check: {countOf(variants.length, 'question')}</h1>
      {v && v.spec ? (
        <>
          <p data-family={v.family} data-seed={v.seed}>
            Question {index + 1} ({v.family}, seed {v.seed}): {v.prompt}
          </p>
          <EnginePanel
            key={index}
            spec={v.spec}
            answer={{ kind: v.answer.kind, value: v.answer.value, display: v.answer.display }}
            source={v.source ?? null}
            showField={v.source?.quantity === 'rf'}
          />
          <button type="button" onClick={() => setIndex((i) => i + 1)} disabled={index + 1 >= variants.length}>
            Next question
          </button>
        </>
      ) : null}
    </section>
  );
}

function LectureCheck() {
  const [check, setCheck] = useState<EngineCheck | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    // tfjs is loaded only here, in the browser, never in the server bundle's render.
    import('../../engine/tfjs/check')
      .then((m) => m.runEngineCheck(SPECS))
      .then((c) => live && setCheck(c))
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
    };
  }, []);

  const status = error ? 'error' : check ? 'done' : 'running';
  return (
    <section aria-labelledby="engine-check-title" data-testid="engine-check" data-status={status} data-backend={check?.backend.backend ?? ''}>
      <h1 id="engine-check-title">Engine check</h1>
      <p>
        Two networks from the lecture, built as real TensorFlow.js models in this browser and run forward with fixed weights, beside the engine&apos;s
        analysis. The same model is then run on the CPU backend to check the GPU&apos;s arithmetic.
      </p>
      {error ? <p className="field-error">The check could not run: {error}</p> : null}
      {!check && !error ? <p aria-busy="true">Loading TensorFlow.js and building the networks…</p> : null}
      {check ? (
        <p>
          Backend: <strong data-testid="backend">{check.backend.backend}</strong>
          {check.backend.fallback ? (
            <span className="notice" data-testid="fallback">
              {' '}
              — fell back from {check.backend.fallback.from}: {check.backend.fallback.reason}
            </span>
          ) : null}
        </p>
      ) : null}
      <table>
        <thead>
          <tr>
            <th scope="col">Network</th>
            <th scope="col">Engine output</th>
            <th scope="col">tfjs output</th>
            <th scope="col">Engine params</th>
            <th scope="col">tfjs params</th>
            <th scope="col">Every layer</th>
            <th scope="col">{check?.backend.backend ?? 'GPU'} vs cpu</th>
          </tr>
        </thead>
        <tbody>
          {SPECS.map(({ name, title, spec }) => {
            const engine = analyze(spec);
            const run = check?.runs.find((r) => r.name === name);
            const agree = run ? run.verify.ok && shape(run.output) === shape(engine.output) && run.params === engine.totals.params : null;
            const close = run ? run.maxAbsDiff <= TOLERANCE : null;
            return (
              <tr key={name} data-spec={name} data-agree={agree === null ? '' : String(agree)} data-max-abs-diff={run ? String(run.maxAbsDiff) : ''}>
                <th scope="row">{title}</th>
                <td>{shape(engine.output)}</td>
                <td>{run ? shape(run.output) : '…'}</td>
                <td>{engine.totals.params.toLocaleString('en-US')}</td>
                <td>{run ? run.params.toLocaleString('en-US') : '…'}</td>
                <td>
                  {run ? (
                    <span title={run.verify.layers.flatMap((l) => l.mismatches.map((m) => `${l.name}: ${m}`)).join('\n') || 'shapes, params, MACs and receptive fields agree'}>
                      {agree ? '✓ agrees' : '✗ disagrees'} ({countOf(run.verify.layers.length, 'row')})
                    </span>
                  ) : (
                    '…'
                  )}
                </td>
                <td>{run ? `${close ? '✓' : '✗'} max |Δ| ${run.maxAbsDiff.toExponential(1)}` : '…'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
