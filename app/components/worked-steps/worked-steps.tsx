import type { StepFigure } from '../../../engine/steps/figure';

/**
 * The worked-step pictures beside an answer's explanation. The SVG comes finished from the
 * server (app/worked-steps.server.ts); this component only places it with its text alternative.
 */
export function WorkedSteps({ figures }: { figures: readonly StepFigure[] | undefined }) {
  if (!figures || figures.length === 0) return null;
  return (
    <div className="worked-steps">
      {figures.map((f, i) => (
        <figure key={i} className={`steps-figure steps-${f.kind}`} {...Object.fromEntries(Object.entries(f.data).map(([k, v]) => [`data-${k}`, v]))}>
          <div className="steps-picture" role="img" aria-label={f.label} dangerouslySetInnerHTML={{ __html: f.svg }} />
          <figcaption>{f.caption}</figcaption>
        </figure>
      ))}
    </div>
  );
}
