/**
 * The class readiness of a class exam, for its instructor (classReadiness in
 * app/models/class-readiness.server.ts): who is behind and why, the class's distribution of plan
 * readiness, the families and topics most at risk, and every student's figures with what they rest on.
 * Tables only: every figure is a number a screen reader reads as it is.
 */
import type { ClassReadinessData, GroupRisk, MemberReadiness, MemberStatus, RecallFigure } from '~/models/class-readiness.server';
import { countOf } from '../../engine/answers';
import { count, decimal, share } from '../charts/format';
import { TableScroll } from './stats-chart';

/** The panel's words, in one place. */
const WORDS = {
  title: 'Class readiness',
  summary: (d: ClassReadinessData) =>
    `${countOf(d.members.length, 'student')} in ${d.className}; the exam aims at ${share(d.exam.target)} recall, ${countOf(d.daysLeft, 'day')} from now.`,
  runs: (runs: number) =>
    `Each student’s forecast simulates their own schedule forward to the exam ${count(runs)} times (their cards, settings, FSRS parameters and pace); a student’s own page runs more, so each interval here is wider. The interval is the 95% interval of the mean over the runs.`,
  rule: (d: ClassReadinessData) =>
    `Behind: a student whose predicted recall at the exam if they follow the plan is below the target (${share(d.exam.target)}) — the reason is given beside them — or who is not doing the plan: fewer in-scope reviews in the last ${countOf(d.rule.recentDays, 'day')} than ${share(d.rule.planShare)} of what the plan asks in ${countOf(d.rule.recentDays, 'day')} (its mean reviews a day × ${d.rule.recentDays}). Not started: no in-scope card learned yet.`,
  status: { 'on-track': 'On track', behind: 'Behind', 'not-started': 'Not started', 'no-cards': 'No cards in scope' } satisfies Record<MemberStatus, string>,
  reasons: { 'below-target': 'the plan falls short of the target', 'short-of-plan': 'short of the plan' },
  behindNone: 'Nobody is behind.',
  noMembers: 'The class has no members yet.',
  distributionCaption: 'Students by predicted recall at the exam if they follow the plan (10-point bins)',
  quartiles: (q: NonNullable<ClassReadinessData['quartiles']>) => `Plan readiness over the class: lower quartile ${share(q.q1)}, median ${share(q.median)}, upper quartile ${share(q.q3)}.`,
  familiesCaption: 'Question families, most at risk first: mean predicted recall at the exam over the students who have them',
  topicsCaption: 'Topics, most at risk first: mean predicted recall at the exam over the students who have them',
  studentsCaption: 'Every student: predicted recall at the exam (95% interval), cards, recent reviews and the plan’s daily load',
} as const;

/** A recall with its interval; stopping today has no chance in it, so no interval to show. */
function recall(f: RecallFigure | null): string {
  if (!f) return '—';
  return share(f.low) === share(f.high) ? share(f.mean) : `${share(f.mean)} (${share(f.low)}–${share(f.high)})`;
}

function statusText(m: MemberReadiness): string {
  const reasons = m.reasons.map((r) => WORDS.reasons[r]);
  return m.status === 'behind' && reasons.length ? `${WORDS.status.behind}: ${reasons.join(', ')}` : WORDS.status[m.status];
}

function GroupTable({ caption, label, groups, target, testId }: { caption: string; label: string; groups: readonly GroupRisk[]; target: number; testId: string }) {
  if (groups.length === 0) return null;
  return (
    <TableScroll label={caption}>
      <table className="stats-table" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{label}</th>
            <th scope="col" className="num">Students</th>
            <th scope="col" className="num">Following the plan</th>
            <th scope="col" className="num">Stopping today</th>
            <th scope="col" className="num">Students below {share(target)}</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.key} data-key={g.key}>
              <th scope="row">{g.key}</th>
              <td className="num">{count(g.students)}</td>
              <td className="num">{share(g.meanPlan)}</td>
              <td className="num">{share(g.meanStopToday)}</td>
              <td className="num">{count(g.belowTarget)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

export function ClassReadiness({ data }: { data: ClassReadinessData }) {
  const behind = data.members.filter((m) => m.behind);
  return (
    <section className="class-readiness stats-section" aria-labelledby="class-readiness-title" data-testid="class-readiness">
      <h2 id="class-readiness-title">{WORDS.title}</h2>
      <p data-testid="class-readiness-summary">{WORDS.summary(data)}</p>
      {data.members.length === 0 ? (
        <p>{WORDS.noMembers}</p>
      ) : (
        <>
          <h3>Who is behind</h3>
          <p data-testid="class-readiness-rule">{WORDS.rule(data)}</p>
          {behind.length ? (
            <ul data-testid="class-readiness-behind">
              {behind.map((m) => (
                <li key={m.userId} data-user={m.userId}>
                  <strong>{m.displayName}</strong>: {statusText(m)}; plan {recall(m.plan)}, {countOf(m.recentReviews, 'review')} in the last {countOf(data.rule.recentDays, 'day')} against {decimal(m.dailyReviews)} a day asked
                  {m.limit ? `; best reachable ${share(m.limit.bestRecall)}${m.limit.reason ? ` (${m.limit.reason})` : ''}` : ''}.
                </li>
              ))}
            </ul>
          ) : (
            <p data-testid="class-readiness-behind-none">{WORDS.behindNone}</p>
          )}

          <h3>The class</h3>
          {data.quartiles ? <p data-testid="class-readiness-quartiles">{WORDS.quartiles(data.quartiles)}</p> : null}
          <table className="stats-table" data-testid="class-readiness-distribution">
            <caption>{WORDS.distributionCaption}</caption>
            <thead>
              <tr>
                <th scope="col">Predicted recall</th>
                <th scope="col" className="num">Students</th>
              </tr>
            </thead>
            <tbody>
              {data.distribution.map((b, i) => (
                <tr key={b.from}>
                  <th scope="row">
                    {i === data.distribution.length - 1 ? `${share(b.from)} to ${share(b.to)}` : `${share(b.from)} to under ${share(b.to)}`}
                  </th>
                  <td className="num">{count(b.students)}</td>
                </tr>
              ))}
            </tbody>
          </table>

          <h3>Most at risk</h3>
          <GroupTable caption={WORDS.familiesCaption} label="Family" groups={data.families} target={data.exam.target} testId="class-readiness-families" />
          <GroupTable caption={WORDS.topicsCaption} label="Topic" groups={data.topics} target={data.exam.target} testId="class-readiness-topics" />

          <h3>Students</h3>
          <TableScroll label={WORDS.studentsCaption}>
            <table className="stats-table" data-testid="class-readiness-students">
              <caption>{WORDS.studentsCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">Student</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">Following the plan</th>
                  <th scope="col" className="num">Stopping today</th>
                  <th scope="col" className="num">Cards in scope</th>
                  <th scope="col" className="num">Learned</th>
                  <th scope="col" className="num">Reviews, last {countOf(data.rule.recentDays, 'day')}</th>
                  <th scope="col" className="num">Plan: reviews a day</th>
                  <th scope="col" className="num">Plan: minutes a day</th>
                </tr>
              </thead>
              <tbody>
                {data.members.map((m) => (
                  <tr key={m.userId} data-user={m.userId} data-status={m.status}>
                    <th scope="row">{m.displayName}</th>
                    <td>{statusText(m)}</td>
                    <td className="num">{recall(m.plan)}</td>
                    <td className="num">{recall(m.stopToday)}</td>
                    <td className="num">{count(m.cardsInScope)}</td>
                    <td className="num">{count(m.cardsLearned)}</td>
                    <td className="num">{count(m.recentReviews)}</td>
                    <td className="num">{decimal(m.dailyReviews)}</td>
                    <td className="num">{decimal(m.dailyMinutes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <p className="stats-note">{WORDS.runs(data.runs)}</p>
        </>
      )}
    </section>
  );
}
