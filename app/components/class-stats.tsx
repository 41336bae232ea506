/**
 * The class page's statistics (instructors): what the class is forgetting first, each family
 * with its reason; then calibration over the class, retention and calibration per family
 * (table and small charts) and per item. Figures from classStats (app/models/stats.server.ts).
 */
import type { RenderedChart } from '~/charts/plot.server';
import { count, duration, share } from '../charts/format';
import type { ClassStats, PassFail } from '~/stats/types';
import { DataTable, StatsChart, TableScroll } from './stats-chart';

export interface ClassStatisticsView {
  stats: ClassStats;
  charts: { calibration: RenderedChart | null; families: Record<string, RenderedChart | null> };
  familyTitles: Record<string, string>;
}

/** An item's text is its whole question (Markdown and all): the table shows its start, the id names it. */
function shortTitle(title: string): string {
  return title.length > 80 ? `${title.slice(0, 79).trimEnd()}…` : title;
}

function rate(p: PassFail): string {
  return p.passed + p.failed === 0 ? '—' : `${share(p.rate)} (${count(p.passed)} of ${count(p.passed + p.failed)})`;
}

export function ClassStatistics({ view }: { view: ClassStatisticsView }) {
  const { stats, charts, familyTitles } = view;
  const titleOf = (id: string) => familyTitles[id] ?? id;
  const forgotten = stats.families.filter((f) => f.forgetting !== null);
  // The items answered, the least retained first: where an instructor looks for trouble.
  const answered = stats.items.filter((i) => i.reviews > 0).sort((a, b) => (a.retention.rate ?? 2) - (b.retention.rate ?? 2) || b.reviews - a.reviews);
  return (
    <section className="class-stats stats-section" aria-labelledby="class-stats-title" data-testid="class-stats">
      <h2 id="class-stats-title">Statistics</h2>
      <p data-testid="class-stats-summary">
        {count(stats.reviews)} {stats.reviews === 1 ? 'review' : 'reviews'} by {count(stats.students)} {stats.students === 1 ? 'student' : 'students'} of the banks published to this class. The class aims at {share(stats.desiredRetention)} retention (its members’ mean setting).
      </p>

      <h3>What the class is forgetting</h3>
      {forgotten.length ? (
        <ul className="forgetting" data-testid="forgetting">
          {forgotten.map((f) => (
            <li key={f.family} data-family={f.family}>
              <strong>{titleOf(f.family)}</strong>: {f.forgetting} Last 30 days {rate(f.recent)}; the 30 before {rate(f.previous)}.
            </li>
          ))}
        </ul>
      ) : (
        <p className="stats-empty" data-testid="forgetting-none">
          No family is being forgotten: none has recent retention clearly below the class’s target or its own previous month.
        </p>
      )}

      <h3>Calibration</h3>
      <p>Across: the recall the scheduler predicted for a group of reviews; up: the share the class actually recalled; beside each point, its reviews. On the dashed diagonal the predictions were right; below it the class forgets more than predicted.</p>
      <StatsChart
        chart={charts.calibration}
        title="Predicted recall against recall, the whole class"
        empty="No reviews with a prediction yet."
        testId="class-calibration-chart"
        table={<DataTable caption="Calibration bins, the whole class" columns={['Predicted range', 'Mean predicted', 'Recalled', 'Reviews']} rows={stats.calibration.bins.filter((b) => b.count > 0).map((b) => [`${share(b.from)}–${share(b.to)}`, share(b.predicted), share(b.actual), b.count])} />}
      />

      <h3>Question families</h3>
      {stats.families.length ? (
        <>
          <TableScroll label="Question families of the class">
            <table className="stats-table" data-testid="class-families">
              <caption>Per family over the class: retention of reviews past learning, the last 30 days against the 30 before, predicted recall against recall, median time, commonest misconception.</caption>
              <thead>
                <tr>
                  <th scope="col">Family</th>
                  <th scope="col" className="num">Students</th>
                  <th scope="col" className="num">Reviews</th>
                  <th scope="col" className="num">Retention</th>
                  <th scope="col" className="num">Last 30 days</th>
                  <th scope="col" className="num">30 days before</th>
                  <th scope="col" className="num">Predicted</th>
                  <th scope="col" className="num">Recalled</th>
                  <th scope="col" className="num">Median time</th>
                  <th scope="col">Commonest misconception</th>
                </tr>
              </thead>
              <tbody>
                {stats.families.map((f) => (
                  <tr key={f.family} data-family={f.family}>
                    <th scope="row">{titleOf(f.family)}</th>
                    <td className="num">{count(f.students)}</td>
                    <td className="num">{count(f.reviews)}</td>
                    <td className="num" data-cell="retention">{rate(f.retention)}</td>
                    <td className="num">{rate(f.recent)}</td>
                    <td className="num">{rate(f.previous)}</td>
                    <td className="num">{share(f.predicted)}</td>
                    <td className="num">{share(f.actual)}</td>
                    <td className="num">{duration(f.medianMs)}</td>
                    <td>{f.misconception ? `${f.misconception.id} (${count(f.misconception.count)})` : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <div className="family-charts">
            {stats.families.map((f) => (
              <StatsChart key={f.family} small chart={charts.families[f.family] ?? null} title={titleOf(f.family)} empty={`${titleOf(f.family)}: no reviews with a prediction yet.`} testId="family-calibration-chart" />
            ))}
          </div>
        </>
      ) : (
        <p className="stats-empty">No generated question answered yet.</p>
      )}

      <h3>
        Items answered ({count(answered.length)} of {count(stats.items.length)})
      </h3>
      {answered.length ? (
        <TableScroll label="Items of the class">
          <table className="stats-table" data-testid="class-items">
            <caption>Per item over the class, the least retained first: retention of reviews past learning, and predicted recall against recall.</caption>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Family</th>
                <th scope="col" className="num">Students</th>
                <th scope="col" className="num">Reviews</th>
                <th scope="col" className="num">Retention</th>
                <th scope="col" className="num">Predicted</th>
                <th scope="col" className="num">Recalled</th>
              </tr>
            </thead>
            <tbody>
              {answered.map((i) => (
                <tr key={i.itemId} data-item={i.itemId}>
                  <th scope="row">
                    {shortTitle(i.title)} <code>{i.itemId}</code>
                  </th>
                  <td>{i.family ? titleOf(i.family) : '—'}</td>
                  <td className="num">{count(i.students)}</td>
                  <td className="num">{count(i.reviews)}</td>
                  <td className="num" data-cell="retention">{rate(i.retention)}</td>
                  <td className="num">{share(i.predicted)}</td>
                  <td className="num">{share(i.actual)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : (
        <p className="stats-empty">No item answered yet.</p>
      )}
    </section>
  );
}
