/** The dashboard's assigned quizzes: open now, upcoming, done. */
import { Link } from '@remix-run/react';
import { countOf } from '../../../engine/answers';
import type { StudentQuizLine } from '~/models/assignment.server';

function Line({ q }: { q: StudentQuizLine }) {
  return (
    <li data-assignment={q.id} data-status={q.status}>
      <Link to={`/assignments/${q.id}`}>{q.title}</Link> · {q.className} · {q.questions}, {q.limit}, {q.mode}
      {q.status === 'open' ? (
        <span data-testid="assignment-open">
          {' '}
          · closes in {q.closesIn} ({q.closes}) · {q.openAttemptId ? 'in progress' : `${countOf(q.attemptsLeft, 'attempt')} left of ${q.attemptsAllowed}`}
        </span>
      ) : null}
      {q.status === 'upcoming' ? <span> · opens in {q.opensIn} ({q.opens})</span> : null}
      {q.status === 'done' ? <span data-testid="assignment-score"> · {q.best === null ? 'not taken' : `best ${q.best}`}</span> : null}
    </li>
  );
}

export function AssignedQuizzes({ open, upcoming, done }: { open: StudentQuizLine[]; upcoming: StudentQuizLine[]; done: StudentQuizLine[] }) {
  if (open.length + upcoming.length + done.length === 0) return null;
  const group = (title: string, list: StudentQuizLine[], testId: string) =>
    list.length ? (
      <>
        <h3>{title}</h3>
        <ul data-testid={testId}>
          {list.map((q) => (
            <Line key={q.id} q={q} />
          ))}
        </ul>
      </>
    ) : null;
  return (
    <section aria-labelledby="assigned-title" className="assigned-quizzes">
      <h2 id="assigned-title">Class quizzes</h2>
      {group('Open now', open, 'assigned-open')}
      {group('Upcoming', upcoming, 'assigned-upcoming')}
      {group('Done', done.slice(0, 10), 'assigned-done')}
    </section>
  );
}
