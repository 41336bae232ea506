/**
 * The readiness forecast for a student (app/scheduling/readiness.ts): the panel on an exam's
 * page and the statistics page, and the dashboard's one line per exam ahead. Tables only: each
 * figure with its interval, the daily plan, the cards at risk.
 */
import { Link } from '@remix-run/react';
import type { ReactNode } from 'react';
import type { Exam } from '~/models/exam.server';
import type { ReadinessSummaryRow } from '~/models/readiness.server';
import type { Readiness, RecallEstimate } from '~/scheduling/readiness';
import { countOf } from '../../engine/answers';
import { count, dayText, decimal, share } from '../charts/format';
import { TableScroll } from './stats-chart';

export const READINESS_WORDS = {
  title: 'Readiness',
  planHeading: 'Daily plan',
  topicsHeading: 'By topic',
  familiesHeading: 'By question family',
  atRiskHeading: 'Cards at risk',
  examsAheadHeading: 'Exams ahead',
  columns: { day: 'Day', reviews: 'Reviews', minutes: 'Minutes', topic: 'Topic', family: 'Family', card: 'Card', cards: 'Cards', plan: 'Following the plan', stop: 'Stopping today' },
  summary: (plan: string, stop: string, target: string) => `Following the plan you are predicted to recall ${plan} of this exam’s cards on the day; stopping today, ${stop}. The target is ${target}.`,
  reachable: 'The plan reaches the target.',
  unreachable: 'The target is out of reach.',
  best: (recall: string, load: number) => `The best reachable: ${recall}, with up to ${countOf(load, 'review')} on a day.`,
  noCards: 'Nothing in this exam’s scope among the banks you study yet.',
  pace: (seconds: string) => `Minutes at your pace of ${seconds} s a review.`,
  planCaption: 'The daily plan: expected reviews (new cards and learning steps included) and minutes each study day until the exam.',
  topicsCaption: 'Predicted recall at the exam per topic, following the plan (with its 95% interval) and stopping today.',
  familiesCaption: 'Predicted recall at the exam per question family.',
  atRiskCaption: (shown: number, total: number) =>
    shown === total ? `Cards whose predicted recall at the exam stays below the target even following the plan, worst first.` : `The ${shown} worst of ${countOf(total, 'card')} whose predicted recall at the exam stays below the target even following the plan.`,
  noneAtRisk: 'No card is predicted below the target if you follow the plan.',
  examDay: 'exam day',
  summaryLine: (plan: string, target: string, days: number) => `${plan} predicted at the exam (target ${target}), ${countOf(days, 'day')} left`,
  statsHeading: (title: string) => `Readiness: ${title}`,
  noExam: 'No exam ahead. Add one, or see your classes’ exams, on the exams page.',
  otherExams: 'Other exams ahead:',
  examAt: (when: string) => `The exam is on ${when}.`,
  todayLine: (reviews: number, minutes: string) => `today ${countOf(reviews, 'review')}, about ${minutes} min`,
} as const;

function range(e: RecallEstimate): string {
  return e.high - e.low < 0.0005 ? share(e.mean) : `${share(e.mean)} (${share(e.low)}–${share(e.high)})`;
}

function RecallTable({ caption, label, rows, testId }: { caption: string; label: string; rows: { name: string; plan: RecallEstimate; stop: RecallEstimate }[]; testId: string }) {
  return (
    <TableScroll label={caption}>
      <table className="stats-table" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{label}</th>
            <th scope="col" className="num">{READINESS_WORDS.columns.cards}</th>
            <th scope="col" className="num">{READINESS_WORDS.columns.plan}</th>
            <th scope="col" className="num">{READINESS_WORDS.columns.stop}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name}>
              <th scope="row">{r.name}</th>
              <td className="num">{count(r.plan.cards)}</td>
              <td className="num">{range(r.plan)}</td>
              <td className="num">{share(r.stop.mean)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The forecast in full: summary and limits, the daily plan, recall per topic and family, the cards at risk. `heading` is its h2 ("Readiness"). */
export function ReadinessPanel({ exam, readiness: r, familyTitles = {}, heading = READINESS_WORDS.title, children }: { exam: Pick<Exam, 'id' | 'title'>; readiness: Readiness; familyTitles?: Record<string, string>; heading?: string; children?: ReactNode }) {
  const w = READINESS_WORDS;
  const headingId = `readiness-${exam.id}`;
  if (r.cards === 0) {
    return (
      <section className="readiness stats-section" aria-labelledby={headingId} data-testid="readiness">
        <h2 id={headingId}>{heading}</h2>
        {children}
        <p>{w.noCards}</p>
      </section>
    );
  }
  const stopTopic = new Map(r.stopToday.topics.map((t) => [t.topic, t]));
  const stopFamily = new Map(r.stopToday.families.map((f) => [f.family, f]));
  return (
    <section className="readiness stats-section" aria-labelledby={headingId} data-testid="readiness">
      <h2 id={headingId}>{heading}</h2>
      {children}
      <p data-testid="readiness-summary">{w.summary(range(r.plan.overall), share(r.stopToday.overall.mean), share(r.target))}</p>
      <p data-testid="readiness-limits" data-reachable={r.limits.reachable}>
        {r.limits.reachable ? w.reachable : `${w.unreachable} ${r.limits.reason ?? ''} ${w.best(share(r.limits.bestRecall), Math.ceil(r.limits.dailyLoadNeeded))}`}
      </p>

      <h3>{w.planHeading}</h3>
      <TableScroll label={w.planCaption}>
        <table className="stats-table" data-testid="readiness-plan">
          <caption>
            {w.planCaption} {w.pace(decimal(r.secondsPerReview))}
          </caption>
          <thead>
            <tr>
              <th scope="col">{w.columns.day}</th>
              <th scope="col" className="num">{w.columns.reviews}</th>
              <th scope="col" className="num">{w.columns.minutes}</th>
            </tr>
          </thead>
          <tbody>
            {r.perDay.map((d) => (
              <tr key={d.day}>
                <th scope="row">
                  {dayText(d.day, { year: false })}
                  {d.day === r.examDay ? ` (${w.examDay})` : ''}
                </th>
                <td className="num">{Math.round(d.reviews)}</td>
                <td className="num">{decimal(d.minutes, d.minutes < 10 ? 1 : 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>

      <h3>{w.topicsHeading}</h3>
      <RecallTable caption={w.topicsCaption} label={w.columns.topic} testId="readiness-topics" rows={r.plan.topics.map((t) => ({ name: t.topic, plan: t, stop: stopTopic.get(t.topic) ?? t }))} />
      {r.plan.families.length > 0 && (
        <>
          <h3>{w.familiesHeading}</h3>
          <RecallTable caption={w.familiesCaption} label={w.columns.family} testId="readiness-families" rows={r.plan.families.map((f) => ({ name: familyTitles[f.family] ?? f.family, plan: f, stop: stopFamily.get(f.family) ?? f }))} />
        </>
      )}

      <h3>{w.atRiskHeading}</h3>
      {r.atRisk.length === 0 ? (
        <p data-testid="readiness-at-risk-none">{w.noneAtRisk}</p>
      ) : (
        <TableScroll label={w.atRiskCaption(r.atRisk.length, r.atRiskTotal)}>
          <table className="stats-table" data-testid="readiness-at-risk">
            <caption>{w.atRiskCaption(r.atRisk.length, r.atRiskTotal)}</caption>
            <thead>
              <tr>
                <th scope="col">{w.columns.card}</th>
                <th scope="col">{w.columns.topic}</th>
                <th scope="col" className="num">{READINESS_WORDS.columns.plan}</th>
                <th scope="col" className="num">{READINESS_WORDS.columns.stop}</th>
              </tr>
            </thead>
            <tbody>
              {r.atRisk.map((c) => (
                <tr key={c.itemId}>
                  <th scope="row">{c.title.length > 80 ? `${c.title.slice(0, 79).trimEnd()}…` : c.title || c.itemId}</th>
                  <td>{c.topic}</td>
                  <td className="num">{share(c.plan)}</td>
                  <td className="num">{share(c.stopToday)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <p className="stats-method" data-testid="readiness-method">
        {r.method}
      </p>
    </section>
  );
}

/** The dashboard's lines: one per exam ahead, linking to its page. */
export function ReadinessSummary({ rows }: { rows: readonly ReadinessSummaryRow[] }) {
  if (rows.length === 0) return null;
  const w = READINESS_WORDS;
  return (
    <section className="readiness-summary" aria-labelledby="readiness-summary-title" data-testid="readiness-summary-list">
      <h2 id="readiness-summary-title">{w.examsAheadHeading}</h2>
      <ul>
        {rows.map((r) => (
          <li key={r.exam.id} data-exam={r.exam.id} data-reachable={r.reachable}>
            <Link to={`/exams/${r.exam.id}`}>{r.exam.title}</Link>
            {r.exam.className ? ` (${r.exam.className})` : ''}: {r.cards === 0 ? w.noCards : `${w.summaryLine(share(r.plan), share(r.target), r.daysLeft)}; ${w.todayLine(Math.round(r.today.reviews), String(Math.round(r.today.minutes)))}.`}
            {!r.reachable && r.cards > 0 ? ` ${w.unreachable}` : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The statistics page's section: the soonest exam's forecast in full, the others as links. */
export function ReadinessStatsSection({ soonest, others, familyTitles }: { soonest: { exam: Pick<Exam, 'id' | 'title'>; readiness: Readiness } | null; others: readonly Pick<Exam, 'id' | 'title'>[]; familyTitles: Record<string, string> }) {
  const w = READINESS_WORDS;
  if (!soonest) {
    return (
      <section className="readiness stats-section" aria-labelledby="readiness-none-title" data-testid="readiness">
        <h2 id="readiness-none-title">{w.title}</h2>
        <p>
          <Link to="/exams">{w.noExam}</Link>
        </p>
      </section>
    );
  }
  return (
    <ReadinessPanel exam={soonest.exam} readiness={soonest.readiness} familyTitles={familyTitles} heading={w.statsHeading(soonest.exam.title)}>
      <p>
        {w.examAt(dayText(soonest.readiness.examDay))} <Link to={`/exams/${soonest.exam.id}`}>{soonest.exam.title}</Link>
      </p>
      {others.length > 0 && (
        <p data-testid="readiness-other-exams">
          {w.otherExams}{' '}
          {others.map((e, i) => (
            <span key={e.id}>
              {i > 0 ? ', ' : ''}
              <Link to={`/exams/${e.id}`}>{e.title}</Link>
            </span>
          ))}
        </p>
      )}
    </ReadinessPanel>
  );
}
