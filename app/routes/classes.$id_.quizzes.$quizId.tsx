/** An assigned quiz for its instructor: results per student and per question, accommodations, regrades, and its settings. */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { AssignmentForm } from '~/components/quiz/assignment-form';
import { clockText } from '~/components/quiz/countdown';
import {
  assignmentClass,
  assignmentOptions,
  AssignmentRefused,
  assignmentResults,
  localInputOf,
  parseAccommodationForm,
  parseAssignmentForm,
  parseRegradeForm,
  regradeQuestion,
  scoreText,
  setAccommodation,
  updateAssignment,
  whenText,
} from '~/models/assignment.server';
import { forbiddenOnDenial } from '~/models/authoring.server';
import { EXTRA_ATTEMPTS, EXTRA_TIME_PERCENT, REGRADE_TEXT } from '~/quiz-limits';
import { readFormWithin } from '~/request-limit.server';
import { assertSameOrigin, requireInstructor } from '~/session.server';
import quizStyles from '~/styles/quiz.css';
import instructorStyles from '~/styles/instructor.css';
import { regradeActions } from '../../db/schema-shared';
import { countOf } from '../../engine/answers';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: quizStyles }, { rel: 'stylesheet', href: instructorStyles }];
export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.quiz.title ?? 'Quiz'} — results — Stride` }];

function idOf(param: string | undefined): number {
  if (!param || !/^\d{1,9}$/.test(param)) throw new Response('Not Found', { status: 404 });
  return Number(param);
}

/** The quiz of the URL's class, or 404 (another class's quiz under this class's URL). */
async function quizOfClass(params: LoaderFunctionArgs['params']): Promise<{ classId: number; assignmentId: number }> {
  const classId = idOf(params.id);
  const assignmentId = idOf(params.quizId);
  if ((await assignmentClass({ assignmentId }))?.classId !== classId) throw new Response('Not Found', { status: 404 });
  return { classId, assignmentId };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireInstructor(request);
  const { classId, assignmentId } = await quizOfClass(params);
  const now = new Date();
  const r = await forbiddenOnDenial(() => assignmentResults({ userId: user.id, assignmentId, now }));
  const options = await assignmentOptions({ userId: user.id, classId });
  const tz = user.timeZone;
  const q = r.quiz;
  return {
    classId,
    className: options.className,
    timeZone: tz,
    quiz: {
      id: q.id,
      title: q.title,
      mode: q.mode,
      questionCount: q.questionCount,
      timeLimitMinutes: q.timeLimitMinutes,
      attemptsAllowed: q.attemptsAllowed,
      opens: whenText(q.opensAt, tz),
      closes: whenText(q.closesAt, tz),
      scope: [...q.scope.banks, ...q.scope.topics, ...q.scope.families].join(', ') || 'all the class’s banks',
    },
    started: r.started,
    values: {
      title: q.title,
      ...q.scope,
      questionCount: q.questionCount,
      timeLimitMinutes: q.timeLimitMinutes,
      opensAt: localInputOf(q.opensAt, tz),
      closesAt: localInputOf(q.closesAt, tz),
      attemptsAllowed: q.attemptsAllowed,
      mode: q.mode,
    },
    choices: { banks: options.banks, topics: options.topics, families: options.families },
    students: r.students.map((s) => ({
      userId: s.userId,
      name: s.displayName,
      email: s.email,
      attempts: s.attempts,
      allowed: s.terms.attemptsAllowed,
      best: scoreText(s.best),
      last: scoreText(s.last),
      time: s.lastTimeMs === null ? '—' : clockText(s.lastTimeMs),
      submitted: s.lastSubmittedAt ? whenText(s.lastSubmittedAt, tz) : '—',
      accommodation: s.accommodation && {
        text: [
          s.accommodation.extraTimePercent ? `+${s.accommodation.extraTimePercent}% time` : null,
          s.accommodation.extraAttempts ? `+${countOf(s.accommodation.extraAttempts, 'attempt')}` : null,
          s.accommodation.opensAt || s.accommodation.closesAt ? `own window ${whenText(s.terms.opensAt, tz)} – ${whenText(s.terms.closesAt, tz)}` : null,
        ]
          .filter(Boolean)
          .join(', '),
        extraTimePercent: s.accommodation.extraTimePercent,
        extraAttempts: s.accommodation.extraAttempts,
        opensAt: s.accommodation.opensAt ? localInputOf(s.accommodation.opensAt, tz) : '',
        closesAt: s.accommodation.closesAt ? localInputOf(s.accommodation.closesAt, tz) : '',
      },
    })),
    questions: r.questions.map((x) => ({
      ...x,
      medianTime: x.medianTimeMs === null ? '—' : clockText(x.medianTimeMs),
      regrade: x.regrade && { action: x.regrade.action, text: REGRADE_TEXT[x.regrade.action], reason: x.regrade.reason },
    })),
    regrades: r.regrades.map((g) => ({ ...g, text: REGRADE_TEXT[g.action], at: whenText(g.at, tz) })),
  };
}

type Reply = { form: string; ok: boolean; message?: string; errors: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireInstructor(request);
  const { assignmentId } = await quizOfClass(params);
  const form = await readFormWithin(request);
  const intent = String(form.get('intent') ?? '');
  const now = new Date();
  const refused = (formName: string, errors: Record<string, string>) => data<Reply>({ form: formName, ok: false, errors }, { status: 400 });
  try {
    if (intent === 'edit') {
      const parsed = parseAssignmentForm(form, user.timeZone);
      if (!parsed.ok) return refused('edit', parsed.errors);
      await forbiddenOnDenial(() => updateAssignment({ userId: user.id, assignmentId, input: parsed.data, now }));
      return data<Reply>({ form: 'edit', ok: true, message: 'Saved.', errors: {} });
    }
    if (intent === 'accommodate') {
      const formName = `accommodate-${String(form.get('studentId'))}`;
      const parsed = parseAccommodationForm(form, user.timeZone);
      if (!parsed.ok) return refused(formName, parsed.errors);
      const row = await forbiddenOnDenial(() => setAccommodation({ userId: user.id, assignmentId, accommodation: parsed.data, now }));
      return data<Reply>({ form: formName, ok: true, message: row ? 'Accommodation saved.' : 'Accommodation cleared.', errors: {} });
    }
    if (intent === 'regrade') {
      const formName = `regrade-${String(form.get('itemId'))}`;
      const parsed = parseRegradeForm(form);
      if (!parsed.ok) return refused(formName, parsed.errors);
      const done = await forbiddenOnDenial(() => regradeQuestion({ userId: user.id, assignmentId, ...parsed.data, now }));
      return data<Reply>({ form: formName, ok: true, message: `Regraded: ${done.changed} of ${done.answers} answers changed score.`, errors: {} });
    }
    return refused('form', { form: 'intent must be edit, accommodate or regrade' });
  } catch (err) {
    if (err instanceof AssignmentRefused) {
      const formName = intent === 'edit' ? 'edit' : intent === 'accommodate' ? `accommodate-${String(form.get('studentId'))}` : `regrade-${String(form.get('itemId'))}`;
      return refused(formName, err.errors);
    }
    throw err;
  }
}

function Outcome({ reply, name }: { reply: Reply | undefined; name: string }) {
  if (!reply || reply.form !== name) return null;
  // Errors of a field are shown at it; these have no field of their own.
  const general = ['Nothing was saved.', ...Object.entries(reply.errors).filter(([k]) => ['form', 'studentId', 'itemId', 'action'].includes(k)).map(([, v]) => v)];
  return (
    <span role={reply.ok ? 'status' : 'alert'} className={reply.ok ? 'notice' : 'field-error'} data-testid={`${name}-outcome`}>
      {' '}
      {reply.ok ? reply.message : general.join(' ')}
    </span>
  );
}

export default function AssignmentResults() {
  const d = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const fieldError = (name: string, field: string) => (reply?.form === name ? reply.errors[field] : undefined);
  return (
    <section className="assignment-results" aria-labelledby="assignment-heading">
      <p className="breadcrumb">
        <Link to={`/classes/${d.classId}`}>{d.className}</Link> / quiz {d.quiz.id}
      </p>
      <h1 id="assignment-heading">{d.quiz.title}</h1>
      <p data-testid="assignment-summary">
        {countOf(d.quiz.questionCount, 'question')} over {d.quiz.scope} · {d.quiz.timeLimitMinutes === null ? 'no time limit' : `${d.quiz.timeLimitMinutes} min`} · {d.quiz.mode} mode ·{' '}
        {countOf(d.quiz.attemptsAllowed, 'attempt')} · open {d.quiz.opens} – {d.quiz.closes} ({d.timeZone})
      </p>

      <h2>Students</h2>
      <table data-testid="student-results" className="assignment-students">
        <caption className="visually-hidden">Each member’s attempts, scores and accommodations</caption>
        <thead>
          <tr>
            <th scope="col">Student</th>
            <th scope="col" className="num">
              Attempts
            </th>
            <th scope="col" className="num">
              Best
            </th>
            <th scope="col" className="num">
              Last
            </th>
            <th scope="col" className="num">
              Time
            </th>
            <th scope="col">Submitted</th>
            <th scope="col">Accommodations</th>
          </tr>
        </thead>
        <tbody>
          {d.students.map((s) => {
            const name = `accommodate-${s.userId}`;
            return (
              <tr key={s.userId} data-student={s.email}>
                <th scope="row">{s.name}</th>
                <td className="num">
                  {s.attempts} of {s.allowed}
                </td>
                <td className="num" data-testid="best">
                  {s.best}
                </td>
                <td className="num">{s.last}</td>
                <td className="num">{s.time}</td>
                <td>{s.submitted}</td>
                <td>
                  <span data-testid="accommodation">{s.accommodation?.text || 'none'}</span>
                  <details open={reply?.form === name ? true : undefined}>
                    <summary>Change</summary>
                    <Form method="post" className="inline-form" aria-label={`Accommodations of ${s.name}`}>
                      <input type="hidden" name="intent" value="accommodate" />
                      <input type="hidden" name="studentId" value={s.userId} />
                      <label htmlFor={`${name}-time`}>Extra time %</label>{' '}
                      <input id={`${name}-time`} name="extraTimePercent" type="number" min={EXTRA_TIME_PERCENT.min} max={EXTRA_TIME_PERCENT.max} step={1} defaultValue={s.accommodation?.extraTimePercent ?? 0} aria-invalid={fieldError(name, 'extraTimePercent') ? true : undefined} />
                      <FieldMessage message={fieldError(name, 'extraTimePercent')} />{' '}
                      <label htmlFor={`${name}-attempts`}>Extra attempts</label>{' '}
                      <input id={`${name}-attempts`} name="extraAttempts" type="number" min={EXTRA_ATTEMPTS.min} max={EXTRA_ATTEMPTS.max} step={1} defaultValue={s.accommodation?.extraAttempts ?? 0} aria-invalid={fieldError(name, 'extraAttempts') ? true : undefined} />
                      <FieldMessage message={fieldError(name, 'extraAttempts')} />{' '}
                      <label htmlFor={`${name}-opens`}>Own window opens</label>{' '}
                      <input id={`${name}-opens`} name="opensAt" type="datetime-local" defaultValue={s.accommodation?.opensAt ?? ''} aria-invalid={fieldError(name, 'opensAt') ? true : undefined} />
                      <FieldMessage message={fieldError(name, 'opensAt')} />{' '}
                      <label htmlFor={`${name}-closes`}>closes</label>{' '}
                      <input id={`${name}-closes`} name="closesAt" type="datetime-local" defaultValue={s.accommodation?.closesAt ?? ''} aria-invalid={fieldError(name, 'closesAt') ? true : undefined} />
                      <FieldMessage message={fieldError(name, 'closesAt')} />{' '}
                      <button type="submit" className="small" data-testid="save-accommodation">
                        Save
                      </button>
                      <Outcome reply={reply} name={name} />
                    </Form>
                  </details>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <h2>Questions</h2>
      {d.questions.length === 0 ? <p>No attempt submitted yet.</p> : null}
      <table data-testid="question-results" className="assignment-questions">
        <caption className="visually-hidden">Each question drawn: how often, how often right, the median time and the most common wrong answer</caption>
        <thead>
          <tr>
            <th scope="col">Question</th>
            <th scope="col" className="num">
              Drawn
            </th>
            <th scope="col" className="num">
              Right
            </th>
            <th scope="col" className="num">
              Median time
            </th>
            <th scope="col">Most common wrong answer</th>
            <th scope="col">Regrade</th>
          </tr>
        </thead>
        <tbody>
          {d.questions.map((q) => {
            const name = `regrade-${q.itemId}`;
            return (
              <tr key={q.itemId} data-item={q.itemId}>
                <th scope="row">
                  <code>{q.itemId}</code> <span className="meta">{q.family ?? q.topic}</span>
                </th>
                <td className="num">{q.drawn}</td>
                <td className="num" data-testid="percent-correct">
                  {q.percentCorrect === null ? 'dropped' : `${q.percentCorrect}%`}
                </td>
                <td className="num">{q.medianTime}</td>
                <td>{q.commonWrong ? `${q.commonWrong.readAs} (${q.commonWrong.count})` : '—'}</td>
                <td>
                  {q.regrade ? (
                    <p data-testid="regrade-note">
                      {q.regrade.action}: {q.regrade.text} — {q.regrade.reason}
                    </p>
                  ) : null}
                  <details open={reply?.form === name ? true : undefined}>
                    <summary>Regrade</summary>
                    <Form method="post" className="inline-form" aria-label={`Regrade ${q.itemId}`}>
                      <input type="hidden" name="intent" value="regrade" />
                      <input type="hidden" name="itemId" value={q.itemId} />
                      <fieldset>
                        <legend>Action</legend>
                        {regradeActions.map((a) => (
                          <label key={a}>
                            <input type="radio" name="action" value={a} defaultChecked={a === 'credit'} /> {a}: {REGRADE_TEXT[a]}
                          </label>
                        ))}
                      </fieldset>
                      <label htmlFor={`${name}-reason`}>Reason (students see it)</label>{' '}
                      <input id={`${name}-reason`} name="reason" required maxLength={500} aria-invalid={fieldError(name, 'reason') ? true : undefined} />
                      <FieldMessage message={fieldError(name, 'reason')} />{' '}
                      <button type="submit" className="small" data-testid="regrade">
                        Regrade
                      </button>
                      <Outcome reply={reply} name={name} />
                    </Form>
                  </details>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      {d.regrades.length ? (
        <>
          <h2>Regrades</h2>
          <ul data-testid="regrades">
            {d.regrades.map((g) => (
              <li key={g.id}>
                {g.at}: <code>{g.itemId}</code> {g.action} ({g.text}) by {g.by}, {g.changed} answers changed — {g.reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>Settings</h2>
      <details open={reply?.form === 'edit' ? true : undefined}>
        <summary>Change the quiz</summary>
        <AssignmentForm values={d.values} choices={d.choices} errors={reply?.form === 'edit' ? reply.errors : {}} intent="edit" submitLabel="Save changes" timeZone={d.timeZone} contentLocked={d.started} />
        <Outcome reply={reply} name="edit" />
      </details>
    </section>
  );
}

function FieldMessage({ message }: { message: string | undefined }) {
  return message ? (
    <span className="field-error" role="alert">
      {' '}
      {message}
    </span>
  ) : null;
}
