import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { studentCharts } from '~/charts/stats-charts.server';
import { binText, count, dayText, decimal, duration, isShareUnit, share } from '~/charts/format';
import { countOf } from '../../engine/answers/format';
import { cardStateNames, cardStates, reviewKindNames, reviewKinds } from '~/charts/labels';
import { reviewBinUnit } from '~/charts/review-bins';
import { ReadinessStatsSection } from '~/components/readiness';
import { DataTable, StatsChart, TableScroll } from '~/components/stats-chart';
import { FamiliesTable, TrueRetentionTable } from '~/components/stats-tables';
import { familyTitles } from '~/charts/family-titles.server';
import { readinessOnStats } from '~/models/readiness.server';
import { StatsNotFound, studentStats } from '~/models/stats.server';
import { requireUser } from '~/session.server';
import { statsPeriods, type Histogram, type StatsPeriod, type StudentStats } from '~/stats/types';
import statsStyles from '~/styles/stats.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: statsStyles }];
export const meta: MetaFunction = () => [{ title: 'Statistics — Stride' }];

const PER_BIN = { day: 'per day', week: 'per week', month: 'per month' } as const;
const PERIOD_NAMES: Record<StatsPeriod, string> = { month: 'Last 30 days', year: 'Last 12 months', all: 'All time' };
const BAD_PERIOD = `Choose a period: ${statsPeriods.map((p) => PERIOD_NAMES[p].toLowerCase()).join(', ')}. Showing the last 30 days.`;

/**
 * The page's query, ?period=month|year|all&bank=<id> (empty or absent: every bank). Two closed
 * choices, read without zod: importing zod into a route ships all of it to the browser (54 KB
 * gzip of the 120 KB first-load budget). A bank the student does not study is the model's 404.
 */
function statsQuery(params: URLSearchParams): { query: { period: StatsPeriod; bank: string | null }; errors: { period?: string } } {
  const raw = params.get('period');
  const period = statsPeriods.find((p) => p === raw);
  const bank = params.get('bank') || null;
  return { query: { period: period ?? 'month', bank }, errors: raw !== null && raw !== '' && !period ? { period: BAD_PERIOD } : {} };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { query, errors } = statsQuery(new URL(request.url).searchParams);
  let stats: StudentStats;
  try {
    stats = await studentStats({ userId: user.id, now: new Date(), period: query.period, bankId: query.bank });
  } catch (err) {
    // A bank the student does not study is not theirs to look at.
    if (err instanceof StatsNotFound) throw new Response('Not Found', { status: 404 });
    throw err;
  }
  const readiness = await readinessOnStats({ userId: user.id, now: new Date() });
  return { stats, charts: studentCharts(stats), familyTitles: familyTitles([...stats.families.map((f) => f.family), ...(readiness.soonest?.readiness.plan.families.map((f) => f.family) ?? [])]), errors, readiness };
}

export default function StatsPage() {
  const { stats, charts, familyTitles: titleOf, errors, readiness } = useLoaderData<typeof loader>();
  const bankTitle = stats.bankId === null ? 'all your banks' : (stats.banks.find((b) => b.id === stats.bankId)?.title ?? stats.bankId);
  const span = stats.periodStart ? `${dayText(stats.periodStart)} to ${dayText(stats.today)}` : `all time to ${dayText(stats.today)}`;
  return (
    <section className="stats-page" aria-labelledby="stats-title">
      <h1 id="stats-title">Statistics</h1>
      <Form method="get" className="stats-filter" aria-label="Period and bank">
        <span className="date-field">
          <label htmlFor="stats-period">Period</label>{' '}
          <select id="stats-period" name="period" defaultValue={stats.period} aria-invalid={errors.period ? true : undefined} aria-describedby={errors.period ? 'stats-period-error' : undefined}>
            {statsPeriods.map((p) => (
              <option key={p} value={p}>
                {PERIOD_NAMES[p]}
              </option>
            ))}
          </select>
          {errors.period ? (
            <span className="field-error" role="alert" id="stats-period-error">
              {' '}
              {errors.period}
            </span>
          ) : null}
        </span>{' '}
        <span className="date-field">
          <label htmlFor="stats-bank">Bank</label>{' '}
          <select id="stats-bank" name="bank" defaultValue={stats.bankId ?? ''}>
            <option value="">All banks</option>
            {stats.banks.map((b) => (
              <option key={b.id} value={b.id}>
                {b.title}
              </option>
            ))}
          </select>
        </span>{' '}
        <button type="submit">Show</button>
      </Form>
      <p data-testid="stats-scope">
        {PERIOD_NAMES[stats.period]} ({span}), {bankTitle}. Days are study days in {stats.timeZone}.
      </p>

      <Today stats={stats} />

      <Section id="forecast" title="Forecast">
        <p>
          <span data-testid="backlog">{count(stats.forecast.backlog)}</span> overdue now; {count(stats.forecast.days.reduce((s, d) => s + d.due, 0))} more falling due in the next {countOf(stats.forecast.days.length, 'day')}. Each card is counted once, on the day it falls due.
        </p>
        <StatsChart
          chart={charts.forecast}
          title={`Reviews due per day, next ${countOf(stats.forecast.days.length, 'day')}`}
          empty="Nothing is due in the next 30 days."
          testId="forecast-chart"
          table={<DataTable caption="Reviews due per day" columns={['Day', 'Due']} rows={[['Overdue now', stats.forecast.backlog], ...stats.forecast.days.map((d) => [dayText(d.day), d.due])]} />}
        />
      </Section>

      <Section id="calendar" title="Calendar">
        <StatsChart
          chart={charts.heatmap?.chart ?? null}
          title={`Reviews per day, ${dayText(stats.heatmap.from)} to ${dayText(stats.heatmap.to)}`}
          empty="No reviews in the last year yet."
          testId="heatmap-chart"
          table={<DataTable caption="Days with reviews (every other day had none)" columns={['Day', 'Reviews']} rows={stats.heatmap.days.filter((d) => d.reviews > 0).map((d) => [dayText(d.day), d.reviews])} />}
        />
        {charts.heatmap ? (
          <figure className="stats-figure legend" data-testid="heatmap-legend">
            <figcaption>Legend: reviews a day, from light (none) to dark (the most)</figcaption>
            <div className="chart-box" role="img" aria-label={charts.heatmap.legend.label} dangerouslySetInnerHTML={{ __html: charts.heatmap.legend.svg }} />
          </figure>
        ) : null}
      </Section>

      <Section id="reviews" title="Reviews per day">
        <p>By the card’s kind before the review: learning (a new card’s first review included), young (interval under 21 days), mature, relearning.</p>
        <StatsChart
          chart={charts.perDay}
          title={`Reviews ${PER_BIN[reviewBinUnit(stats.perDay.length)]} by kind`}
          empty="No reviews in this period."
          testId="per-day-chart"
          table={
            <DataTable
              caption="Reviews per day by kind, and time spent"
              columns={['Day', ...reviewKinds.map((k) => reviewKindNames[k]), 'of which new', 'Time']}
              rows={stats.perDay
                .filter((d) => d.learning + d.new + d.young + d.mature + d.relearning > 0)
                .map((d) => [dayText(d.day), d.learning + d.new, d.young, d.mature, d.relearning, d.new, duration(d.timeMs)])}
            />
          }
        />
        <StatsChart chart={charts.time} title={`Time spent ${PER_BIN[reviewBinUnit(stats.perDay.length)]} (minutes)`} empty="No time spent in this period." testId="time-chart" />
        <p data-testid="period-time">
          <span data-testid="period-reviews">{count(stats.perDay.reduce((s, d) => s + d.learning + d.new + d.young + d.mature + d.relearning, 0))}</span> reviews in{' '}
          {duration(stats.perDay.reduce((s, d) => s + d.timeMs, 0))} over the period.
        </p>
      </Section>

      <Section id="card-counts" title="Card counts">
        <DataTable caption={`Cards by state, ${count(stats.cardCounts.total)} in all`} columns={['State', 'Cards']} rows={[...cardStates.map((s) => [cardStateNames[s], stats.cardCounts[s]]), ['Total', stats.cardCounts.total]]} testId="card-counts" />
        <StatsChart chart={charts.cardCounts} title="Cards by state" empty="No cards in this bank yet." testId="card-counts-chart" />
      </Section>

      <Section id="intervals" title="Intervals">
        <StatsChart
          chart={charts.intervals}
          title="Intervals of cards in review, with the cumulative share"
          empty="No card is in review yet."
          testId="intervals-chart"
          table={<DataTable caption="Intervals (days)" columns={['Interval (days)', 'Cards', 'Cumulative share']} rows={stats.intervals.bins.map((b) => [binText(b.from, b.to, 'days'), b.count, share(b.cumulativeShare)])} />}
        />
      </Section>

      <Section id="memory" title="Stability, difficulty and recall">
        <HistogramFigure histogram={stats.stability} chart={charts.stability} title="Stability (days until recall falls to 90%)" testId="stability-chart" />
        <HistogramFigure histogram={stats.difficulty} chart={charts.difficulty} title="Difficulty (1 easiest, 10 hardest)" testId="difficulty-chart" />
        <HistogramFigure histogram={stats.retrievability} chart={charts.retrievability} title="Recall probability now" testId="retrievability-chart" />
      </Section>

      <Section id="knowledge" title="Estimated total knowledge">
        <p>The sum of every card’s probability of recall at the end of each day: about how many cards you would get right if asked them all then.</p>
        <StatsChart
          chart={charts.knowledge}
          title={stats.knowledgeEvery > 1 ? `Estimated total knowledge, every ${countOf(stats.knowledgeEvery, 'day')}` : 'Estimated total knowledge per day'}
          empty="Nothing learned yet."
          testId="knowledge-chart"
          table={<DataTable caption="Estimated total knowledge" columns={['Day', 'Cards known']} rows={stats.knowledge.map((k) => [dayText(k.day), k.total.toFixed(1)])} />}
        />
      </Section>

      <Section id="true-retention" title="True retention">
        <p>
          The share of reviews passed (Hard, Good or Easy), as Anki counts it: only the first review of each card on a day, and only of cards past learning. Learning steps and repeats the same day would
          flatter the figure.
        </p>
        <TableScroll label="True retention">
          <TrueRetentionTable rows={stats.trueRetention} />
        </TableScroll>
      </Section>

      <Section id="calibration" title="Calibration">
        <p>
          Each point is a group of reviews: across, the recall the scheduler predicted for them; up, the share you actually recalled; beside it, how many reviews it holds. On the dashed diagonal the predictions
          were right; points below it mean you forget more than predicted, above it less. Points of a few reviews say little.
        </p>
        <StatsChart
          chart={charts.calibration}
          title="Predicted recall against recall"
          empty="No reviews with a prediction in this period: a new card’s first review has none."
          testId="calibration-chart"
          table={<DataTable caption="Calibration bins" columns={['Predicted range', 'Mean predicted', 'Recalled', 'Reviews']} rows={stats.calibration.bins.filter((b) => b.count > 0).map((b) => [`${share(b.from)}–${share(b.to)}`, share(b.predicted), share(b.actual), b.count])} />}
        />
      </Section>

      <Section id="families" title="Question families">
        {stats.families.length ? (
          <TableScroll label="Question families">
            <FamiliesTable families={stats.families} titleOf={titleOf} caption="Generated questions by family: retention of reviews past learning, median answer time, the commonest wrong answer, and predicted recall against recall." />
          </TableScroll>
        ) : (
          <p className="stats-empty" data-testid="families-empty">
            No generated questions answered in this period.
          </p>
        )}
      </Section>

      <ReadinessStatsSection soonest={readiness.soonest} others={readiness.others} familyTitles={titleOf} />
    </section>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section className="stats-section" aria-labelledby={`${id}-title`} data-testid={`section-${id}`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

function Today({ stats }: { stats: StudentStats }) {
  const t = stats.todayCounts;
  return (
    <Section id="today" title="Today">
      {t.reviews === 0 ? (
        <p className="stats-empty" data-testid="today-empty">
          No reviews yet today.
        </p>
      ) : (
        <p data-testid="today-summary">
          {countOf(t.reviews, 'review')} in {duration(t.timeMs)}, {count(t.correct)} right ({share(t.correct / t.reviews)}).
        </p>
      )}
      <DataTable
        caption="Today's reviews by the card's kind"
        columns={['Kind', 'Reviews']}
        rows={[
          ['New', t.new],
          ['Learning', t.learning],
          ['Relearning', t.relearning],
          ['Young', t.young],
          ['Mature', t.mature],
          ['All', t.reviews],
        ]}
        testId="today-counts"
      />
    </Section>
  );
}

function HistogramFigure({ histogram, chart, title, testId }: { histogram: Histogram; chart: StatsChartProps['chart']; title: string; testId: string }) {
  const f = (x: number) => (isShareUnit(histogram.unit) ? share(x) : decimal(x, 2));
  return (
    <StatsChart
      chart={chart}
      title={`${title}: mean ${histogram.mean === null ? '—' : f(histogram.mean)}, median ${histogram.median === null ? '—' : f(histogram.median)}`}
      empty={`${title}: no card studied yet.`}
      testId={testId}
      table={<DataTable caption={title} columns={['Range', 'Cards']} rows={histogram.bins.map((b) => [binText(b.from, b.to, histogram.unit), b.count])} />}
    />
  );
}

type StatsChartProps = Parameters<typeof StatsChart>[0];
