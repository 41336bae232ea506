/** The instructor sets a quiz for a class: scope, questions, time, window, attempts, mode. */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { AssignmentForm } from '~/components/quiz/assignment-form';
import { assignmentOptions, AssignmentRefused, createAssignment, localInputOf, parseAssignmentForm } from '~/models/assignment.server';
import { forbiddenOnDenial } from '~/models/authoring.server';
import { readFormWithin } from '~/request-limit.server';
import { assertSameOrigin, requireInstructor } from '~/session.server';
import quizStyles from '~/styles/quiz.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: quizStyles }];
export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `New quiz — ${d?.className ?? 'class'} — Stride` }];

function idOf(param: string | undefined): number {
  if (!param || !/^\d{1,9}$/.test(param)) throw new Response('Not Found', { status: 404 });
  return Number(param);
}

const DAY_MS = 86_400_000;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireInstructor(request);
  const classId = idOf(params.id);
  const options = await forbiddenOnDenial(() => assignmentOptions({ userId: user.id, classId }));
  const now = new Date();
  const values = {
    title: '',
    banks: [],
    topics: [],
    families: [],
    questionCount: Math.min(10, Math.max(1, options.items)),
    timeLimitMinutes: 20,
    opensAt: localInputOf(now, user.timeZone),
    closesAt: localInputOf(new Date(now.getTime() + 7 * DAY_MS), user.timeZone),
    attemptsAllowed: 1,
    mode: 'exam' as const,
  };
  return { classId, className: options.className, timeZone: user.timeZone, items: options.items, choices: { banks: options.banks, topics: options.topics, families: options.families }, values };
}

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireInstructor(request);
  const classId = idOf(params.id);
  const parsed = parseAssignmentForm(await readFormWithin(request), user.timeZone);
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  try {
    const row = await forbiddenOnDenial(() => createAssignment({ userId: user.id, classId, input: parsed.data, now: new Date() }));
    return redirect(`/classes/${classId}/quizzes/${row.id}`);
  } catch (err) {
    if (err instanceof AssignmentRefused) return data({ errors: err.errors }, { status: 400 });
    throw err;
  }
}

export default function NewAssignment() {
  const loaded = useLoaderData<typeof loader>();
  const errors = useActionData<typeof action>()?.errors ?? {};
  return (
    <section className="quiz-builder" aria-labelledby="new-quiz-title">
      <p className="breadcrumb">
        <Link to={`/classes/${loaded.classId}`}>{loaded.className}</Link> / new quiz
      </p>
      <h1 id="new-quiz-title">Set a quiz for {loaded.className}</h1>
      <p>
        Every member sees it on their dashboard while it is open. Each student draws their own questions and variants from the scope; the server keeps the
        window, the time and the attempts. {loaded.items} auto-graded questions are in the class’s banks.
      </p>
      <AssignmentForm values={loaded.values} choices={loaded.choices} errors={errors} intent="create" submitLabel="Set the quiz" timeZone={loaded.timeZone} />
    </section>
  );
}
