import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { ExamForm, examFormValuesOf, type ExamFormValues } from '~/components/exam-form';
import { ClassReadiness } from '~/components/class-readiness';
import { ReadinessPanel } from '~/components/readiness';
import { AccessDenied } from '~/models/access.server';
import { checkExamForm, deleteExam, EXAM_ERRORS, examAccess, familyTitlesById, examPage, ExamRefused, examScopeOptions, practiceBuild, timeZoneChoices, updateExam } from '~/models/exam.server';
import { QuizRefused, startQuiz } from '~/models/quiz.server';
import { MAX_QUESTIONS, TIME_LIMIT_MINUTES } from '~/quiz-limits';
import { classReadiness } from '~/models/class-readiness.server';
import { readinessOf } from '~/models/readiness.server';
import { readFormWithin } from '~/request-limit.server';
import { assertSameOrigin, requireUser } from '~/session.server';
import { storedItemFailureAsHttp } from '~/study.server';
import quizStyles from '~/styles/quiz.css';
import statsStyles from '~/styles/stats.css';
import { countOf } from '../../engine/answers';
import { FieldError } from '~/components/field';
import { QuizModeChoice } from '~/components/quiz/mode-choice';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: quizStyles }, { rel: 'stylesheet', href: statsStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.exam.title ?? 'Exam'} — Stride` }];

function examIdOf(param: string | undefined): number {
  if (!param || !/^\d{1,9}$/.test(param)) throw new Response('Not Found', { status: 404 });
  return Number(param);
}

/** A practice exam's defaults: a short timed paper. */
const PRACTICE = { count: 20, minutes: 30 } as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const examId = examIdOf(params.id);
  const now = new Date();
  const page = await examPage({ userId: user.id, examId, now });
  const ahead = page.exam.at > now.getTime();
  const values: ExamFormValues = { title: page.exam.title, ...page.local, timeZone: page.exam.timeZone, target: page.exam.target.toFixed(2), scope: page.exam.scope };
  return {
    exam: { id: page.exam.id, title: page.exam.title, className: page.exam.className, classId: page.exam.classId, target: page.exam.target },
    summary: page.summary,
    scope: page.scope,
    planDays: page.planDays,
    ahead,
    sits: page.sits,
    teaches: page.teaches,
    canEdit: page.canEdit,
    readiness: page.sits && ahead ? (await readinessOf({ userId: user.id, exam: page.exam, now })).readiness : null,
    classReadiness: page.teaches && ahead ? await classReadiness({ userId: user.id, examId, now }) : null,
    familyTitles: familyTitlesById(),
    edit: page.canEdit ? { values, options: await examScopeOptions({ userId: user.id, classId: page.exam.classId }), zones: timeZoneChoices(page.exam.timeZone) } : null,
    practice: { count: Math.min(PRACTICE.count, MAX_QUESTIONS), minutes: PRACTICE.minutes },
  };
}

type Reply = { form: 'edit' | 'practice' | 'delete'; errors: Record<string, string>; values?: ExamFormValues };

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireUser(request);
  const examId = examIdOf(params.id);
  const form = await readFormWithin(request);
  const now = new Date();
  const intent = form.get('intent');
  try {
    if (intent === 'delete') {
      await deleteExam({ userId: user.id, examId });
      return redirect('/exams');
    }
    if (intent === 'practice') {
      const { exam, sits } = await examAccess({ userId: user.id, examId });
      if (!sits) return data({ form: 'practice', errors: { form: 'a practice exam is for those who sit the exam' } } as Reply, { status: 403 });
      const build = practiceBuild(exam, form);
      if (!build.ok) return data({ form: 'practice', errors: build.errors } as Reply, { status: 400 });
      const attempt = await storedItemFailureAsHttp(() => startQuiz({ userId: user.id, build: build.data, now }));
      return redirect(`/quiz/${attempt.id}`);
    }
    if (intent === 'edit') {
      const { exam, canEdit } = await examAccess({ userId: user.id, examId });
      if (!canEdit) return data({ form: 'edit', errors: { form: exam.classId === null ? EXAM_ERRORS.notOwner : EXAM_ERRORS.classExamNotOwner } } as Reply, { status: 403 });
      const checked = await checkExamForm({ userId: user.id, form, now, examId });
      const values = examFormValuesOf(form, { title: exam.title, date: '', time: '', timeZone: exam.timeZone, target: '', scope: exam.scope });
      if (!checked.ok) return data({ form: 'edit', errors: checked.errors, values } as Reply, { status: checked.status });
      try {
        await updateExam({ userId: user.id, examId, input: checked.input, now });
      } catch (err) {
        if (err instanceof ExamRefused) return data({ form: 'edit', errors: err.errors, values } as Reply, { status: err.status });
        throw err;
      }
      return redirect(`/exams/${examId}`);
    }
    return data({ form: 'edit', errors: { form: 'intent must be edit, delete or practice' } } as Reply, { status: 400 });
  } catch (err) {
    if (err instanceof AccessDenied) return data({ form: intent === 'delete' ? 'delete' : 'edit', errors: { form: err.message } } as Reply, { status: 403 });
    if (err instanceof QuizRefused) return data({ form: 'practice', errors: { form: err.message } } as Reply, { status: err.status });
    throw err;
  }
}

export default function ExamPage() {
  const loaded = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply | undefined;
  const busy = useNavigation().state === 'submitting';
  const { exam, summary, scope } = loaded;
  const errorsOf = (form: Reply['form']) => (reply?.form === form ? reply.errors : {});
  const practiceErrors = errorsOf('practice');
  return (
    <section className="exam-page" aria-labelledby="exam-title">
      <h1 id="exam-title">{exam.title}</h1>
      <p>
        {exam.className ? `A class exam of ${exam.className}.` : 'Your own exam.'} <Link to="/exams">All exams</Link>
      </p>
      <dl className="exam-facts" data-testid="exam-facts">
        <dt>When</dt>
        <dd data-testid="exam-when">{summary.when}</dd>
        <dt>Time zone</dt>
        <dd data-testid="exam-zone">{summary.timeZone}</dd>
        <dt>Days left</dt>
        <dd data-testid="exam-days-left" data-days={summary.daysLeft}>
          {summary.daysLeftText}
          {loaded.ahead ? `; ${countOf(loaded.planDays, 'study day')} to plan reviews on before it` : ''}
        </dd>
        <dt>Target recall</dt>
        <dd data-testid="exam-target">{Math.round(exam.target * 100)}%</dd>
        <dt>Covers</dt>
        <dd data-testid="exam-scope" data-items={scope.items}>
          {countOf(scope.items, 'item')}
          {loaded.teaches && !loaded.sits ? ' published to the class' : ' you study'}
          <ul>
            {scope.banks.map((b) => (
              <li key={`b-${b.id}`}>
                bank {b.title}: {b.items}
              </li>
            ))}
            {scope.topics.map((t) => (
              <li key={`t-${t.topic}`}>
                topic {t.topic}: {t.items}
              </li>
            ))}
            {scope.families.map((f) => (
              <li key={`f-${f.family}`}>
                family {f.title}: {f.items}
              </li>
            ))}
          </ul>
        </dd>
      </dl>

      {loaded.readiness ? <ReadinessPanel exam={exam} readiness={loaded.readiness} familyTitles={loaded.familyTitles} /> : null}
      {loaded.classReadiness ? <ClassReadiness data={loaded.classReadiness} /> : null}

      {loaded.sits ? (
        <section aria-labelledby="practice-title">
          <h2 id="practice-title">Practice exam</h2>
          <p>A timed quiz over what this exam covers. It does not change your daily review; on its results page you can add your misses to it.</p>
          <Form method="post" className="quiz-form" aria-describedby={practiceErrors.form ? 'practice-form-error' : undefined}>
            <input type="hidden" name="intent" value="practice" />
            <p className="field">
              <label htmlFor="practice-count">Number of questions</label>
              <br />
              <input id="practice-count" name="count" type="number" min={1} max={MAX_QUESTIONS} step={1} defaultValue={loaded.practice.count} required aria-invalid={practiceErrors.count ? true : undefined} aria-describedby={practiceErrors.count ? 'practice-count-error' : undefined} />
              {practiceErrors.count ? <FieldError id="practice-count" message={practiceErrors.count} /> : null}
            </p>
            <p className="field">
              <label htmlFor="practice-time">Time limit in minutes (empty: none)</label>
              <br />
              <input
                id="practice-time"
                name="timeLimitMinutes"
                type="number"
                min={TIME_LIMIT_MINUTES.min}
                max={TIME_LIMIT_MINUTES.max}
                step="any"
                defaultValue={loaded.practice.minutes}
                aria-invalid={practiceErrors.timeLimitMinutes ? true : undefined}
                aria-describedby={practiceErrors.timeLimitMinutes ? 'practice-time-error' : undefined}
              />
              {practiceErrors.timeLimitMinutes ? <FieldError id="practice-time" message={practiceErrors.timeLimitMinutes} /> : null}
            </p>
            <QuizModeChoice id="practice-mode" error={practiceErrors.mode} />
            {practiceErrors.form ? (
              <p id="practice-form-error" className="field-error" role="alert">
                {practiceErrors.form}
              </p>
            ) : null}
            <button type="submit" disabled={busy} data-testid="start-practice">
              Start the practice exam
            </button>
          </Form>
        </section>
      ) : null}

      {loaded.edit ? (
        <section aria-labelledby="edit-title">
          <h2 id="edit-title">Change or delete this exam</h2>
          {exam.classId !== null ? <p>Every member of {exam.className} sees the change.</p> : null}
          <details open={reply?.form === 'edit' ? true : undefined}>
            <summary>Change it</summary>
            <ExamForm intent="edit" submitLabel="Save the changes" values={reply?.form === 'edit' && reply.values ? reply.values : loaded.edit.values} options={loaded.edit.options} zones={loaded.edit.zones} errors={errorsOf('edit')} busy={busy} />
          </details>
          <Form method="post" aria-describedby={errorsOf('delete').form ? 'delete-error' : undefined}>
            <input type="hidden" name="intent" value="delete" />
            {/* The browser asks before a click removes it (for every member, on a class exam). */}
            <label>
              <input type="checkbox" name="confirm" value="yes" required /> {exam.classId !== null ? `Yes, delete it for every member of ${exam.className}` : 'Yes, delete it'}
            </label>{' '}
            <button type="submit" className="secondary" data-testid="delete-exam">
              Delete this exam
            </button>
            {errorsOf('delete').form ? (
              <span id="delete-error" className="field-error" role="alert">
                {' '}
                {errorsOf('delete').form}
              </span>
            ) : null}
          </Form>
        </section>
      ) : null}
    </section>
  );
}

