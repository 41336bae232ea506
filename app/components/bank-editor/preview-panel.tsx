import { useMemo, useState } from 'react';
import { EnginePanel } from '~/components/engine-panel';
import { WorkedSteps } from '~/components/worked-steps/worked-steps';
import type { FactPreview, GeneratedPreview, ItemPreview, SamplePreview } from '~/models/authoring.server';
import { countOf } from '../../../engine/answers';

/** The engine panel of one sample; the same network (by value) is not rebuilt when the preview refreshes. */
function SampleEngineCheck({ sample }: { sample: SamplePreview }) {
  const key = JSON.stringify(sample.spec);
  // Keyed by value: a refreshed preview brings equal but new objects.
  const spec = useMemo(() => sample.spec, [key]); // eslint-disable-line react-hooks/exhaustive-deps
  const answer = useMemo(() => sample.answer, [key]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!spec) return <p className="notice">This question has no network to build.</p>;
  return <EnginePanel spec={spec} answer={answer} />;
}

function GeneratedItemPreview({ preview }: { preview: GeneratedPreview }) {
  // tfjs loads only when asked: building networks on WebGL at every keystroke would stall the page.
  const [chosen, setChosen] = useState<number | null>(null);
  const checked = chosen === null ? undefined : preview.samples[chosen];
  return (
    <section className={`preview-item${preview.flagged ? ' flagged' : ''}`} data-item={preview.itemId} data-flagged={String(preview.flagged)} aria-label={`Preview of ${preview.itemId}`}>
      <h3>
        {preview.title} <code>{preview.itemId}</code> <span className="status">{preview.difficulty === null ? 'any difficulty' : `difficulty ${preview.difficulty}`}</span>
        {preview.flagged ? <span className="status status-flagged">flagged</span> : <span className="status status-ok">all samples pass</span>}
      </h3>
      <ol className="samples">
        {preview.samples.map((s) => (
          <li key={s.seed} className={s.ok ? 'sample ok' : 'sample bad'} data-seed={s.seed} data-ok={String(s.ok)}>
            <div className="sample-head">
              <span>
                Sample {s.index + 1} · seed <code>{s.seed}</code>
              </span>
              {s.spec && s.ok ? (
                <button type="button" className="secondary small" aria-pressed={checked?.seed === s.seed} onClick={() => setChosen(s.index)}>
                  Check on WebGL
                </button>
              ) : null}
            </div>
            {s.promptHtml ? <div className="prompt" dangerouslySetInnerHTML={{ __html: s.promptHtml }} /> : null}
            {s.answer ? (
              <p>
                Answer: <strong data-testid="sample-answer">{s.answer.display}</strong>
                {s.measured !== null ? (
                  <span className="engine-check">
                    {' '}
                    · engine's analysis: {s.measured} {s.problems.some((p) => p.startsWith("the engine's analysis")) ? '✗' : '✓'}
                  </span>
                ) : (
                  <span className="engine-check"> · generated without error{s.ok ? ' ✓' : ''}</span>
                )}
              </p>
            ) : null}
            {s.problems.length ? (
              <ul className="problems" role="alert">
                {s.problems.map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            ) : null}
            {s.explanationHtml ? (
              <details>
                <summary>Explanation</summary>
                <div dangerouslySetInnerHTML={{ __html: s.explanationHtml }} />
                <WorkedSteps figures={s.steps} />
              </details>
            ) : null}
          </li>
        ))}
      </ol>
      {checked && checked.ok && checked.spec ? (
        <div className="webgl-check">
          <p>
            Sample {checked.index + 1} built as a TensorFlow.js model in this browser:
          </p>
          <SampleEngineCheck key={checked.seed} sample={checked} />
        </div>
      ) : null}
    </section>
  );
}

function FactItemPreview({ preview }: { preview: FactPreview }) {
  return (
    <section className="preview-item fact" data-item={preview.itemId} aria-label={`Preview of ${preview.itemId}`}>
      <h3>
        <code>{preview.itemId}</code> <span className="status">{preview.kind}</span>
      </h3>
      <div className="fact-sides">
        <div className="prompt" dangerouslySetInnerHTML={{ __html: preview.frontHtml }} />
        <div className="back" dangerouslySetInnerHTML={{ __html: preview.backHtml }} />
      </div>
    </section>
  );
}

/** Every item of the bank as a student would meet it; generated items with their sampled variants and checks. */
export function PreviewPanel({ previews }: { previews: readonly ItemPreview[] }) {
  const flagged = previews.filter((p) => p.kind === 'generated' && p.flagged).length;
  return (
    <div className="preview-panel" data-testid="preview" data-flagged={flagged}>
      <p role="status">
        {countOf(previews.length, 'item')};{' '}
        {flagged ? <strong className="bad">{flagged} flagged: publishing is refused until they pass</strong> : 'nothing flagged'}
      </p>
      {previews.map((p) => (p.kind === 'generated' ? <GeneratedItemPreview key={p.itemId} preview={p} /> : <FactItemPreview key={p.itemId} preview={p} />))}
    </div>
  );
}
