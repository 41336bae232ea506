/** The class page's "Quizzes" section: the quizzes set for the class, and a link to set one. */
import { Link } from '@remix-run/react';
import { countOf } from '../../../engine/answers';

export interface ClassQuizLine {
  id: number;
  title: string;
  mode: string;
  questionCount: number;
  window: string;
  students: number;
}

export function ClassQuizzes({ classId, quizzes }: { classId: number; quizzes: ClassQuizLine[] }) {
  return (
    <section aria-labelledby="class-quizzes-title">
      <h2 id="class-quizzes-title">Quizzes</h2>
      {quizzes.length === 0 ? <p>None set yet.</p> : null}
      <ul data-testid="class-quizzes">
        {quizzes.map((q) => (
          <li key={q.id} data-assignment={q.id}>
            <Link to={`/classes/${classId}/quizzes/${q.id}`}>{q.title}</Link>: {countOf(q.questionCount, 'question')}, {q.mode} mode, open {q.window}; {countOf(q.students, 'student')} {q.students === 1 ? 'has' : 'have'} started
          </li>
        ))}
      </ul>
      <p>
        <Link to={`/classes/${classId}/quizzes/new`} data-testid="new-class-quiz">
          Set a quiz for this class
        </Link>
      </p>
    </section>
  );
}
