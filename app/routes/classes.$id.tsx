import { ClassExport } from '~/components/class-export';
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { parseForm } from '~/forms';
import { classAnalytics, TOO_HARD_ACCURACY, TOO_HARD_MIN_ATTEMPTS } from '~/models/analytics.server';
import { ItemAnalyticsTable, percent, seconds } from '~/components/bank-editor/item-analytics';
import { bankJob } from '~/bank-jobs.server';
import { forbiddenOnDenial, publishableBanks } from '~/models/authoring.server';
import {
  classBankDateErrors,
  classBankPlan,
  ClassDatesRefused,
  dayText,
  getTaughtClass,
  memberProgress,
  publishedMessage,
  setClassBankDates,
  studyDayOf,
  unpublishBankFromClass,
} from '~/models/class.server';
import type { FieldErrors } from '~/forms';
import { readFormWithin } from '~/request-limit.server';
import { assertSameOrigin, requireInstructor } from '~/session.server';
import instructorStyles from '~/styles/instructor.css';
import statsStyles from '~/styles/stats.css';
import { classStatistics } from '~/charts/stats-charts.server';
import { classStats } from '~/models/stats.server';
import { ClassStatistics } from '~/components/class-stats';
import { ActionOutcome } from '~/components/action-outcome';
import { ClassActionSchema } from '~/models/class.server';
import { countOf, nounFor } from '../../engine/answers';
import { ClassParametersPanel } from '~/components/class-parameters';
import { CLASS_FIT_INTENT, classFitAction, classParameters } from '~/models/parameter-view.server';
import { classExams, examSummary } from '~/models/exam.server';
import { classQuizzes, whenText } from '~/models/assignment.server';
import { ClassQuizzes } from '~/components/quiz/class-quizzes';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: instructorStyles }, { rel: 'stylesheet', href: statsStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.class.name ?? 'Class'} — Stride` }];

function classIdOf(param: string | undefined): number {
  if (!param || !/^\d{1,9}$/.test(param)) throw new Response('Not Found', { status: 404 });
  return Number(param);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireInstructor(request);
  const classId = classIdOf(params.id);
  const taught = await forbiddenOnDenial(() => getTaughtClass({ userId: user.id, classId }));
  const analytics = await classAnalytics({ userId: user.id, classId });
  const published = new Set(taught.banks.map((b) => b.id));
  const today = await studyDayOf({ userId: user.id, now: new Date() });
  const progress = new Map((await memberProgress({ taught })).map((m) => [m.userId, m.banks]));
  return {
    class: { id: taught.class.id, name: taught.class.name, joinCode: taught.class.joinCode },
    today,
    members: taught.members.map((m) => ({ id: m.id, displayName: m.displayName, email: m.email, joinedAt: m.joinedAt.toISOString(), progress: progress.get(m.id) ?? [] })),
    banks: taught.banks.map((b) => ({
      id: b.id,
      title: b.title,
      publishedAt: b.publishedAt.toISOString(),
      items: b.items,
      startsOn: b.startsOn,
      learnBy: b.learnBy,
      startsText: b.startsOn ? dayText(b.startsOn, today) : null,
      learnByText: b.learnBy ? dayText(b.learnBy, today) : null,
    })),
    publishable: (await publishableBanks({ userId: user.id })).filter((b) => !published.has(b.id)),
    analytics,
    thresholds: { accuracy: TOO_HARD_ACCURACY, attempts: TOO_HARD_MIN_ATTEMPTS },
    parameters: await classParameters({ classId, instructorId: user.id, timeZone: user.timeZone, now: new Date() }),
    statistics: classStatistics(await classStats({ instructorId: user.id, classId, now: new Date() })),
    exams: (await classExams({ classId })).map((e) => examSummary(e, user, new Date())),
    quizzes: (await classQuizzes({ userId: user.id, classId })).map((q) => ({ id: q.id, title: q.title, mode: q.mode, questionCount: q.questionCount, window: `${whenText(q.opensAt, user.timeZone)} – ${whenText(q.closesAt, user.timeZone)}`, students: q.students })),
  };
}


type ClassReply = { ok: boolean; message: string; errors: { path: string; message: string }[]; form?: string; fields?: FieldErrors };

/** The fields of a publish refusal that are the dates' (the rest, the gate's, stay in the list). */
function dateFields(errors: { path: string; message: string }[]): FieldErrors | undefined {
  const fields = Object.fromEntries(errors.filter((e) => e.path === 'startsOn' || e.path === 'learnBy').map((e) => [e.path, e.message]));
  return Object.keys(fields).length ? fields : undefined;
}

const NOT_SAVED = 'Nothing was saved: see the messages at the dates.';

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireInstructor(request);
  const classId = classIdOf(params.id);
  const taught = await forbiddenOnDenial(() => getTaughtClass({ userId: user.id, classId }));
  const form = await readFormWithin(request);
  if (form.get('intent') === CLASS_FIT_INTENT) {
    const fit = await classFitAction({ classId, instructorId: user.id, now: new Date() });
    return data({ ok: fit.ok, message: fit.message, errors: [], form: fit.form } as ClassReply, { status: fit.ok ? 200 : 409 });
  }
  const parsed = parseForm(ClassActionSchema(), form);
  const formOf = (intent: unknown, bankId: unknown) => (intent === 'dates' ? `dates-${String(bankId)}` : 'publish');
  if (!parsed.ok) {
    const reply: ClassReply = { ok: false, message: parsed.errors.startsOn || parsed.errors.learnBy ? NOT_SAVED : Object.values(parsed.errors).join('; '), errors: [], form: formOf(form.get('intent'), form.get('bankId')), fields: parsed.errors };
    return data(reply, { status: 400 });
  }
  const input = parsed.data;
  const now = new Date();
  if (input.intent === 'unpublish') {
    await forbiddenOnDenial(() => unpublishBankFromClass({ userId: user.id, classId, bankId: input.bankId }));
    return { ok: true, message: `Took ${input.bankId} off the class.`, errors: [] } as ClassReply;
  }
  const dates = { startsOn: input.startsOn, learnBy: input.learnBy };
  const today = await studyDayOf({ userId: user.id, now });
  const kept = input.intent === 'dates' ? taught.banks.find((b) => b.id === input.bankId) : undefined;
  const dateErrors = classBankDateErrors(dates, today, kept);
  const formName = formOf(input.intent, input.bankId);
  if (Object.keys(dateErrors).length) return data({ ok: false, message: NOT_SAVED, errors: [], form: formName, fields: dateErrors } as ClassReply, { status: 400 });
  if (input.intent === 'dates') {
    try {
      await forbiddenOnDenial(() => setClassBankDates({ userId: user.id, classId, bankId: input.bankId, dates, now }));
    } catch (err) {
      if (err instanceof ClassDatesRefused) return data({ ok: false, message: NOT_SAVED, errors: [], form: formName, fields: err.errors } as ClassReply, { status: 400 });
      throw err;
    }
  } else {
    const result = await bankJob({ kind: 'publish-to-class', userId: user.id, classId, bankId: input.bankId, now, dates });
    if (!result.ok) {
      const fields = dateFields(result.errors);
      return data({ ok: false, message: fields ? NOT_SAVED : result.message, errors: result.errors.filter((e) => !fields?.[e.path]).map((e) => ({ path: e.path, message: e.message })), form: formName, fields } as ClassReply, { status: fields ? 400 : 409 });
    }
  }
  const bank = (await getTaughtClass({ userId: user.id, classId })).banks.find((b) => b.id === input.bankId);
  if (!bank) throw new Response('Not Found', { status: 404 });
  const message = publishedMessage({ bankTitle: bank.title, className: taught.class.name, plan: classBankPlan(bank, today, bank.items), today, changed: input.intent === 'dates' });
  return { ok: true, message, errors: [], form: formName } as ClassReply;
}

/** The start and learn-by dates of a class bank: empty for none; a refusal shows at its field. */
function DateFields({ prefix, today, startsOn, learnBy, fields }: { prefix: string; today: string; startsOn: string | null; learnBy: string | null; fields: FieldErrors | undefined }) {
  const field = (name: 'startsOn' | 'learnBy', label: string, value: string | null) => {
    const id = `${prefix}-${name}`;
    const error = fields?.[name];
    return (
      <span className="date-field">
        <label htmlFor={id}>{label}</label>{' '}
        <input type="date" id={id} name={name} min={value !== null && value < today ? value : today} defaultValue={value ?? ''} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
        {error ? (
          <span className="field-error" role="alert" id={`${id}-error`} data-testid={`${name}-error`}>
            {' '}
            {error}
          </span>
        ) : null}
      </span>
    );
  };
  return (
    <>
      {field('startsOn', 'Start date (optional)', startsOn)} {field('learnBy', 'Learn by (optional)', learnBy)}
    </>
  );
}

export default function ClassPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { analytics } = loaded;
  const titleOf = new Map(loaded.banks.map((b) => [b.id, b.title]));
  const answered = analytics.items.filter((i) => i.attempts > 0);
  return (
    <section className="class-page" aria-labelledby="class-title">
      <h1 id="class-title">{loaded.class.name}</h1>
      <p>
        Join code: <code className="join-code" data-testid="join-code">{loaded.class.joinCode}</code> · <Link to="/classes">All classes</Link>
      </p>

      <h2>Banks published to this class</h2>
      {loaded.banks.length === 0 ? <p>None yet.</p> : null}
      <ul data-testid="class-banks" className="class-banks">
        {loaded.banks.map((b) => {
          const formName = `dates-${b.id}`;
          const fields = result?.form === formName ? result.fields : undefined;
          return (
            <li key={b.id} data-bank={b.id}>
              <strong>{b.title}</strong> <code>{b.id}</code>: {countOf(b.items, 'item')}
              <span data-testid="class-bank-dates">
                {b.startsText ? `, starts ${b.startsText}` : ', from the day it was published'}
                {b.learnByText ? `, learn by ${b.learnByText}` : ', no learn-by date'}
              </span>{' '}
              <Form method="post" className="inline">
                <input type="hidden" name="bankId" value={b.id} />
                <button type="submit" name="intent" value="unpublish" className="secondary small">
                  Take off
                </button>
              </Form>
              {/* Open while it has something to say (a refusal at a field, or what the saved dates mean). */}
              <details open={result?.form === formName ? true : undefined}>
                <summary>Change dates</summary>
                <Form method="post" className="inline-form" aria-label={`Dates of ${b.title}`}>
                  <input type="hidden" name="bankId" value={b.id} />
                  <DateFields prefix={formName} today={loaded.today} startsOn={b.startsOn} learnBy={b.learnBy} fields={fields} />{' '}
                  <button type="submit" name="intent" value="dates" className="small">
                    Save dates
                  </button>
                </Form>
                {result?.form === formName ? <ActionOutcome result={result} testId="class-dates-result" /> : null}
              </details>
            </li>
          );
        })}
      </ul>
      {loaded.publishable.length ? (
        // Keyed by what is published: after a publish the form starts empty again.
        <Form method="post" className="inline-form" aria-label="Publish a bank" key={loaded.banks.map((b) => b.id).join(' ')}>
          <label htmlFor="publish-bank">Publish a bank</label>{' '}
          <select id="publish-bank" name="bankId" required>
            {loaded.publishable.map((b) => (
              <option key={b.id} value={b.id}>
                {b.title} ({b.id}, {b.source === 'content' ? 'Stride' : b.status})
              </option>
            ))}
          </select>{' '}
          <DateFields prefix="publish" today={loaded.today} startsOn={null} learnBy={null} fields={result?.form === 'publish' ? result.fields : undefined} />{' '}
          <button type="submit" name="intent" value="publish">
            Publish to class
          </button>
        </Form>
      ) : null}
      {result && (result.form === 'publish' || !result.form) ? <ActionOutcome result={result} testId="class-publish-result" /> : null}

      <h2>Exams</h2>
      {loaded.exams.length === 0 ? <p>None set.</p> : null}
      <ul data-testid="class-exams">
        {loaded.exams.map((e) => (
          <li key={e.id} data-exam={e.id}>
            <Link to={`/exams/${e.id}`}>{e.title}</Link>: {e.when}, {e.daysLeftText}; target {Math.round(e.target * 100)}%
          </li>
        ))}
      </ul>
      <p>
        <Link to={`/exams?class=${loaded.class.id}#add-exam`}>Set an exam for this class</Link> (every member gets it; their daily review plans for it, and its page shows who is behind).
      </p>

      <h2>Members ({loaded.members.length})</h2>
      <ul data-testid="members">
        {loaded.members.map((m) => (
          <li key={m.id} data-member={m.email}>
            {m.displayName} &lt;{m.email}&gt;
            {m.progress.length ? (
              <span className="member-progress" data-testid="member-progress">
                {' '}
                · {m.progress.map((p) => `${titleOf.get(p.bankId) ?? p.bankId}: ${p.introduced} of ${p.total} introduced`).join('; ')}
              </span>
            ) : null}
          </li>
        ))}
      </ul>

      <ClassQuizzes classId={loaded.class.id} quizzes={loaded.quizzes} />

      <ClassParametersPanel initial={loaded.parameters} reply={result?.form === 'class-fit' ? result : undefined} pollUrl={`/classes/${loaded.class.id}/parameters`} />

      <ClassExport classId={loaded.class.id} />
      <h2>How the questions perform</h2>
      <div className="cards" data-testid="class-summary">
        <div className="stat">
          <span className="value" data-testid="class-attempts">
            {analytics.attempts}
          </span>{' '}
          {nounFor(analytics.attempts, 'attempt')}
        </div>
        <div className="stat">
          <span className="value">{percent(analytics.accuracy)}</span> accuracy
        </div>
        <div className="stat">
          <span className="value">{seconds(analytics.medianMs)}</span> median time
        </div>
        <div className="stat">
          <span className="value">{analytics.lapses}</span> {nounFor(analytics.lapses, 'lapse')}
        </div>
        <div className="stat">
          <span className="value">{analytics.students}</span> {nounFor(analytics.students, 'student')} active
        </div>
      </div>
      <h3>Too hard</h3>
      <p>
        Items under {percent(loaded.thresholds.accuracy)} accuracy over at least {countOf(loaded.thresholds.attempts, 'attempt')}: rewrite them, or narrow their ranges.
      </p>
      {analytics.tooHard.length ? (
        <ul data-testid="too-hard">
          {analytics.tooHard.map((i) => (
            <li key={i.itemId}>
              <code>{i.itemId}</code>: {percent(i.accuracy)} of {i.attempts}
              {i.misconceptions[0] ? `; most often ${i.misconceptions[0].id}` : ''}
            </li>
          ))}
        </ul>
      ) : (
        <p>None.</p>
      )}
      <h3>Items answered ({answered.length} of {analytics.items.length})</h3>
      <ItemAnalyticsTable items={answered} classId={loaded.class.id} />
      <ClassStatistics view={loaded.statistics} />
    </section>
  );
}
