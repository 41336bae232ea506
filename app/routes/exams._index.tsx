import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { ExamForm, examFormValuesOf, type ExamFormValues } from '~/components/exam-form';
import { EXAM_TARGET } from '~/exams/limits';
import { checkExamForm, createExam, ExamRefused, examScopeOptions, examsPage, taughtClasses, timeZoneChoices, type ExamSummary } from '~/models/exam.server';
import { readFormWithin } from '~/request-limit.server';
import { assertSameOrigin, requireUser } from '~/session.server';
import quizStyles from '~/styles/quiz.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: quizStyles }];

export const meta: MetaFunction = () => [{ title: 'Exams — Stride' }];

/** The class a new exam is for, from `?class=`: one the user teaches, else none (their own exam). */
function forClassOf(url: URL, taught: { id: number; name: string }[]): { id: number; name: string } | null {
  const id = Number(url.searchParams.get('class'));
  return taught.find((c) => c.id === id) ?? null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const now = new Date();
  const taught = await taughtClasses({ userId: user.id });
  const forClass = forClassOf(new URL(request.url), taught);
  const blank: ExamFormValues = { title: '', date: '', time: '09:00', timeZone: user.timeZone, target: EXAM_TARGET.default.toFixed(2), scope: { banks: [], topics: [], families: [] } };
  return {
    ...(await examsPage({ userId: user.id, now })),
    taught,
    forClass,
    options: await examScopeOptions({ userId: user.id, classId: forClass?.id ?? null }),
    zones: timeZoneChoices(user.timeZone),
    blank,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireUser(request);
  const form = await readFormWithin(request);
  if (form.get('intent') !== 'create') return data({ errors: { form: 'intent must be create' } as Record<string, string>, values: null }, { status: 400 });
  const now = new Date();
  const checked = await checkExamForm({ userId: user.id, form, now });
  const values = examFormValuesOf(form, { title: '', date: '', time: '', timeZone: user.timeZone, target: '', scope: { banks: [], topics: [], families: [] } });
  if (!checked.ok) return data({ errors: checked.errors, values }, { status: checked.status });
  try {
    const exam = await createExam({ userId: user.id, input: checked.input, now });
    return redirect(`/exams/${exam.id}`);
  } catch (err) {
    if (err instanceof ExamRefused) return data({ errors: err.errors, values }, { status: err.status });
    throw err;
  }
}

export default function Exams() {
  const loaded = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const errors: Record<string, string> = reply?.errors ?? {};
  return (
    <section className="exams" aria-labelledby="exams-title">
      <h1 id="exams-title">Exams</h1>
      <p>
        An exam has a date, what it covers and the recall you want on the day. While it is ahead, your daily review brings forward the cards it covers so that each is reviewed in the last days
        before it, spread evenly, and shows how ready you will be.
      </p>
      <h2>Ahead</h2>
      <ExamList exams={loaded.ahead} testId="exams-ahead" empty="No exams ahead." />
      <h2>Past</h2>
      <ExamList exams={loaded.past} testId="exams-past" empty="None yet." />

      <h2 id="add-exam">Add an exam</h2>
      {loaded.taught.length ? (
        // A GET form: which class decides the banks, topics and families offered below.
        <Form method="get" className="inline-form" aria-label="Who the exam is for">
          <label htmlFor="exam-for-class">Set it for</label>{' '}
          <select id="exam-for-class" name="class" defaultValue={loaded.forClass?.id ?? ''}>
            <option value="">just me</option>
            {loaded.taught.map((c) => (
              <option key={c.id} value={c.id}>
                the class {c.name} (every member gets it)
              </option>
            ))}
          </select>{' '}
          <button type="submit" className="secondary small">
            Choose
          </button>
        </Form>
      ) : null}
      <ExamForm
        // Keyed by the class: choosing another starts the form afresh with its options.
        key={loaded.forClass?.id ?? 'me'}
        intent="create"
        submitLabel="Add the exam"
        values={reply?.values ?? loaded.blank}
        options={loaded.options}
        zones={loaded.zones}
        errors={errors}
        forClass={loaded.taught.length || errors.classId ? { id: loaded.forClass?.id ?? null, label: loaded.forClass ? `the class ${loaded.forClass.name}` : 'just me' } : undefined}
        busy={busy}
      />
    </section>
  );
}

function ExamList({ exams, testId, empty }: { exams: ExamSummary[]; testId: string; empty: string }) {
  if (exams.length === 0) return <p data-testid={testId}>{empty}</p>;
  return (
    <ul data-testid={testId} className="exam-list">
      {exams.map((e) => (
        <li key={e.id} data-exam={e.id}>
          <Link to={`/exams/${e.id}`}>{e.title}</Link>
          {e.className ? ` (class ${e.className})` : ''}: {e.when}, {e.daysLeftText}; target {Math.round(e.target * 100)}%
        </li>
      ))}
    </ul>
  );
}
