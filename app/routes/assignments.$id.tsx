/** A class quiz for a member: its window, time and attempts left, past attempts, and the start (or resume) button. */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { assignmentClass, startAssignment, studentAssignment, studentQuizLine } from '~/models/assignment.server';
import { QuizRefused } from '~/models/quiz.server';
import { storedItemFailureAsHttp } from '~/study.server';
import { assertSameOrigin, requireUser } from '~/session.server';
import quizStyles from '~/styles/quiz.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: quizStyles }];
export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.quiz.title ?? 'Class quiz'} — Stride` }];

function idOf(param: string | undefined): number {
  if (!param || !/^\d{1,9}$/.test(param)) throw new Response('Not Found', { status: 404 });
  return Number(param);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const assignmentId = idOf(params.id);
  // The class's instructor is sent to the results.
  const owner = await assignmentClass({ assignmentId });
  if (owner?.instructorId === user.id) throw redirect(`/classes/${owner.classId}/quizzes/${assignmentId}`);
  const now = new Date();
  const quiz = await studentAssignment({ userId: user.id, assignmentId, now });
  return { quiz: studentQuizLine(quiz, user.timeZone, now), timeZone: user.timeZone };
}

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireUser(request);
  const assignmentId = idOf(params.id);
  try {
    const { attempt } = await storedItemFailureAsHttp(() => startAssignment({ userId: user.id, assignmentId, now: new Date() }));
    return redirect(`/quiz/${attempt.id}`);
  } catch (err) {
    if (err instanceof QuizRefused) return data({ message: err.message }, { status: err.status });
    throw err;
  }
}

export default function AssignmentStart() {
  const { quiz, timeZone } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const canStart = quiz.status === 'open';
  return (
    <section className="assignment-start" aria-labelledby="assignment-title" data-assignment={quiz.id}>
      <p className="breadcrumb">
        <Link to="/">Dashboard</Link> / {quiz.className}
      </p>
      <h1 id="assignment-title">{quiz.title}</h1>
      <dl className="assignment-terms" data-testid="assignment-terms">
        <dt>Class</dt>
        <dd>{quiz.className}</dd>
        <dt>Questions</dt>
        <dd>
          {quiz.questions}, {quiz.mode === 'exam' ? 'exam mode: results after you submit, correct answers once the quiz has closed' : 'practice mode: check each answer as you go'}
        </dd>
        <dt>Time</dt>
        <dd data-testid="your-limit">{quiz.limit}; an attempt still running when the quiz closes ends then</dd>
        <dt>Window ({timeZone})</dt>
        <dd>
          {quiz.opens} – {quiz.closes}
          {quiz.closesIn ? ` (closes in ${quiz.closesIn})` : quiz.opensIn ? ` (opens in ${quiz.opensIn})` : ' (closed)'}
        </dd>
        <dt>Attempts</dt>
        <dd data-testid="attempts-left">
          {quiz.attemptsUsed} used, {quiz.attemptsLeft} of {quiz.attemptsAllowed} left (a started attempt counts, even if left unfinished)
        </dd>
      </dl>
      {refused ? (
        <p className="field-error" role="alert">
          {refused.message}
        </p>
      ) : null}
      {quiz.openAttemptId ? (
        <Link className="button" to={`/quiz/${quiz.openAttemptId}`} data-testid="resume-assignment">
          Resume your attempt
        </Link>
      ) : canStart ? (
        <Form method="post">
          <button type="submit" data-testid="start-assignment">
            Start attempt {quiz.attemptsUsed + 1} of {quiz.attemptsAllowed}
          </button>
        </Form>
      ) : (
        <p className="notice">{quiz.status === 'upcoming' ? `This quiz opens ${quiz.opens}.` : 'This quiz can no longer be started.'}</p>
      )}
      {quiz.attempts.length ? (
        <>
          <h2>Your attempts</h2>
          <ul data-testid="assignment-attempts">
            {quiz.attempts.map((a) => (
              <li key={a.id}>
                <Link to={`/quiz/${a.id}`}>Attempt {a.id}</Link>, started {a.started}: {a.score === null ? 'in progress' : a.score}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
