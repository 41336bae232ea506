/** The analytics by region: each item's and family's regions with counts, 95% intervals and the verdict in words. */
import type { ItemRegionTable, RegionAnalytics, RegionStats, RegionTable } from '~/analytics/by-region';
import { VERDICT_TEXT } from '~/analytics/by-region';
import { HISTOGRAM_BINS } from '~/analytics/stats';
import { countOf } from '../../../engine/answers/format';

/** User-facing strings of the page, kept together for translation. */
export const REGION_TEXT = {
  flagged: 'Flagged:',
  noAttempts: 'No attempts yet.',
  discrimination: (r: number | null, students: number) =>
    r === null ? `Discrimination: not enough students (${countOf(students, 'student')} with other items)` : `Discrimination (point-biserial): ${r.toFixed(2)} over ${countOf(students, 'student')}`,
  distributionCaption: 'Students by accuracy',
} as const;

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);
const ci = (i: { low: number; high: number } | null) => (i === null ? '—' : `${pct(i.low)}–${pct(i.high)}`);
const secs = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);

function RegionRow({ r }: { r: RegionStats }) {
  return (
    <tr data-feature={r.feature} data-region={r.region} className={r.flagged ? 'region-flagged' : undefined}>
      <th scope="row">{r.featureLabel}</th>
      <td>{r.regionLabel}</td>
      <td className="num">{r.attempts}</td>
      <td className="num">{pct(r.accuracy)}</td>
      <td className="num">{ci(r.interval)}</td>
      <td className="num">{secs(r.medianMs)}</td>
      <td className="num">{pct(r.lapseRate)}</td>
      <td>{r.misconceptions.map((m) => `${m.id} (${m.count})`).join(', ') || '—'}</td>
      <td data-testid="verdict">
        {r.flagged ? <strong>{REGION_TEXT.flagged} </strong> : null}
        {VERDICT_TEXT[r.verdict]}
        {r.adjustedP !== null ? ` (Holm p = ${r.adjustedP < 0.001 ? '< 0.001' : r.adjustedP.toFixed(3)})` : ''}
      </td>
    </tr>
  );
}

export function RegionStatsTable({ table, caption }: { table: RegionTable; caption: string }) {
  if (table.attempts === 0) return <p>{REGION_TEXT.noAttempts}</p>;
  return (
    <table className="analytics region-analytics" data-testid={`regions-${table.id}`}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Feature</th>
          <th scope="col">Region</th>
          <th scope="col" className="num">
            Attempts
          </th>
          <th scope="col" className="num">
            Accuracy
          </th>
          <th scope="col" className="num">
            95% CI
          </th>
          <th scope="col" className="num">
            Median time
          </th>
          <th scope="col" className="num">
            Lapse rate
          </th>
          <th scope="col">Commonest misconceptions</th>
          <th scope="col">Against the rest</th>
        </tr>
      </thead>
      <tbody>
        {table.regions.map((r) => (
          <RegionRow key={`${r.feature}/${r.region}`} r={r} />
        ))}
      </tbody>
    </table>
  );
}

export function DistributionTable({ bins, caption }: { bins: readonly number[]; caption: string }) {
  return (
    <table className="analytics score-distribution">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {bins.map((_, i) => (
            <th scope="col" key={i} className="num">
              {(i * 100) / HISTOGRAM_BINS}–{((i + 1) * 100) / HISTOGRAM_BINS}%
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        <tr>
          {bins.map((n, i) => (
            <td key={i} className="num">
              {n}
            </td>
          ))}
        </tr>
      </tbody>
    </table>
  );
}

function ItemSection({ item }: { item: ItemRegionTable }) {
  return (
    <section aria-labelledby={`item-${item.key}`}>
      <h3 id={`item-${item.key}`}>
        <code>{item.id}</code> ({item.family}): {countOf(item.attempts, 'attempt')}, {pct(item.accuracy)} right (95% CI {ci(item.interval)})
      </h3>
      <p>{REGION_TEXT.discrimination(item.discrimination, item.discriminationStudents)}</p>
      <RegionStatsTable table={item} caption={`Regions of ${item.id}`} />
      <DistributionTable bins={item.distribution} caption={`${REGION_TEXT.distributionCaption} on ${item.id}`} />
    </section>
  );
}

export function RegionAnalyticsView({ analytics }: { analytics: RegionAnalytics }) {
  return (
    <>
      <DistributionTable bins={analytics.distribution} caption={`${REGION_TEXT.distributionCaption} over the bank`} />
      <h2>By item</h2>
      {analytics.items.map((i) => (
        <ItemSection key={i.id} item={i} />
      ))}
      <h2>By family</h2>
      {analytics.families.map((f) => (
        <section key={f.id} aria-labelledby={`family-${f.id}`}>
          <h3 id={`family-${f.id}`}>
            {f.id}: {countOf(f.attempts, 'attempt')}, {pct(f.accuracy)} right (95% CI {ci(f.interval)})
          </h3>
          <RegionStatsTable table={f} caption={`Regions of the family ${f.id}`} />
        </section>
      ))}
    </>
  );
}
