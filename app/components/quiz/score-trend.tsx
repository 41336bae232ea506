import { countOf } from '../../../engine/answers';

/**
 * The scores of submitted attempts, oldest to newest, as a small line: x is the attempt's rank,
 * y the percent (0 at the bottom, 100 at the top).
 */
export function ScoreTrend({ scores, width = 320, height = 80 }: { scores: { id: number; percent: number }[]; width?: number; height?: number }) {
  if (scores.length === 0) return null;
  const pad = 6;
  const x = (i: number) => (scores.length === 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (scores.length - 1));
  const y = (percent: number) => pad + ((100 - percent) * (height - 2 * pad)) / 100;
  const points = scores.map((s, i) => `${x(i).toFixed(1)},${y(s.percent).toFixed(1)}`).join(' ');
  const last = scores[scores.length - 1]!;
  return (
    <figure className="score-trend">
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Scores of your last ${countOf(scores.length, 'attempt')}, oldest first: ${scores.map((s) => `${s.percent}%`).join(', ')}`} data-testid="score-trend">
        <line x1={pad} x2={width - pad} y1={y(50)} y2={y(50)} className="midline" />
        <polyline points={points} fill="none" />
        {scores.map((s, i) => (
          <circle key={s.id} cx={x(i)} cy={y(s.percent)} r={3}>
            <title>{`Attempt ${s.id}: ${s.percent}%`}</title>
          </circle>
        ))}
      </svg>
      <figcaption>
        Trend of your scores (dashed line: 50%); last: {last.percent}%
      </figcaption>
    </figure>
  );
}
