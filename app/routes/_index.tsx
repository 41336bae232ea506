import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { ReadinessSummary } from '~/components/readiness';
import { dashboardFor, type Dashboard } from '~/models/dashboard.server';
import { assignedQuizzes, studentQuizLine } from '~/models/assignment.server';
import { AssignedQuizzes } from '~/components/quiz/assigned-quizzes';
import { getUser } from '~/session.server';
import { countOf } from '../../engine/answers';

export const meta: MetaFunction = () => [{ title: 'Stride — dashboard' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (!user) return { user: null, dashboard: null, assigned: null };
  const now = new Date();
  const assigned = await assignedQuizzes({ userId: user.id, now });
  const lines = (list: typeof assigned.open) => list.map((q) => studentQuizLine(q, user.timeZone, now));
  return {
    user: { displayName: user.displayName, role: user.role },
    dashboard: await dashboardFor({ userId: user.id, now }),
    assigned: { open: lines(assigned.open), upcoming: lines(assigned.upcoming), done: lines(assigned.done) },
  };
}

export default function Home() {
  const { user, dashboard, assigned } = useLoaderData<typeof loader>();
  if (!user || !dashboard || !assigned) {
    return (
      <section aria-labelledby="dashboard-title">
        <h1 id="dashboard-title">Stride</h1>
        <p>
          Spaced repetition for convolutional-network architectures: output sizes, parameter counts, receptive fields and inception costs, with every
          generated answer checked against a real TensorFlow.js model.
        </p>
        <p>
          <Link className="button" to="/signup">
            Create an account
          </Link>{' '}
          or <Link to="/login">log in</Link>. Or look around the <Link to="/explore">architecture explorer</Link>.
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Stride — {user.displayName}’s dashboard</h1>
      <div className="cards">
        <Stat label="Due today" value={dashboard.dueToday} testId="due-today" />
        <Stat label="New today" value={dashboard.newToday} testId="new-today" />
        <Stat label="Done today" value={dashboard.doneToday} testId="done-today" />
        <Stat label="Streak (days)" value={dashboard.streak} testId="streak" />
      </div>
      {dashboard.classLines.length > 0 ? (
        <ul className="class-lines" aria-label="Your class banks" data-testid="class-lines">
          {dashboard.classLines.map((l) => (
            <li key={l.bankId}>{l.text}</li>
          ))}
        </ul>
      ) : null}
      <ReadinessSummary rows={dashboard.exams} />
      <AssignedQuizzes {...assigned} />
      <p>
        <Link to="/subscriptions">What I study</Link>
      </p>
      <p>
        <Link className="button" to="/review">
          {dashboard.dueToday + dashboard.newToday > 0 ? 'Start today’s review' : 'Open review'}
        </Link>{' '}
        <Link to="/quiz">Take a timed quiz</Link>
      </p>
      <ReviewsChart perDay={dashboard.perDay} />
      <h2>Mastery by topic</h2>
      <table>
        <caption className="visually-hidden">Items per topic: seen, and mastered (interval of three weeks or more)</caption>
        <thead>
          <tr>
            <th scope="col">Topic</th>
            <th scope="col" className="num">
              Items
            </th>
            <th scope="col" className="num">
              Seen
            </th>
            <th scope="col" className="num">
              Mastered
            </th>
            <th scope="col">Progress</th>
          </tr>
        </thead>
        <tbody>
          {dashboard.topics.map((t) => (
            <tr key={t.topic}>
              <th scope="row">{t.topic}</th>
              <td className="num">{t.items}</td>
              <td className="num">{t.seen}</td>
              <td className="num">{t.mastered}</td>
              <td>
                <meter min={0} max={t.items} value={t.mastered} low={t.items * 0.3} high={t.items * 0.8} optimum={t.items} aria-label={`${t.topic}: ${t.mastered} of ${t.items} mastered`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Stat({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div className="stat">
      <div className="value" data-testid={testId}>
        {value}
      </div>
      <div>{label}</div>
    </div>
  );
}

/** Reviews per study day as bars (correct part darker), with a table for screen readers. */
function ReviewsChart({ perDay }: { perDay: Dashboard['perDay'] }) {
  const max = Math.max(1, ...perDay.map((d) => d.reviews));
  const w = 12;
  const h = 80;
  return (
    <figure className="chart">
      <figcaption>Reviews per day, last {countOf(perDay.length, 'day')}</figcaption>
      <svg viewBox={`0 0 ${perDay.length * w} ${h + 2}`} width="100%" height="100" role="img" aria-label={`Reviews per day; today ${perDay.at(-1)?.reviews ?? 0}`} preserveAspectRatio="none">
        {perDay.map((d, i) => {
          const total = (d.reviews / max) * h;
          const right = (d.correct / max) * h;
          return (
            <g key={d.day}>
              <title>{`${d.day}: ${countOf(d.reviews, 'review')}, ${d.correct} right`}</title>
              <rect x={i * w + 1} y={h - total} width={w - 2} height={total} fill="#b9c7ef" />
              <rect x={i * w + 1} y={h - right} width={w - 2} height={right} fill="#2f5bd3" />
            </g>
          );
        })}
        <line x1={0} y1={h + 1} x2={perDay.length * w} y2={h + 1} stroke="#d9dce3" />
      </svg>
      <table className="visually-hidden">
        <tbody>
          {perDay.map((d) => (
            <tr key={d.day}>
              <td>{d.day}</td>
              <td>{d.reviews}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
