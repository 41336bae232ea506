import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { ScoreTrend } from '~/components/quiz/score-trend';
import { AccessDenied } from '~/models/access.server';
import { MAX_QUESTIONS, TIME_LIMIT_MINUTES } from '~/quiz-limits';
import { listAttempts, parseQuizBuilderForm, QuizRefused, quizOptions, replayAttempt, startQuiz } from '~/models/quiz.server';
import { storedItemFailureAsHttp } from '~/study.server';
import { assertSameOrigin, requireUser } from '~/session.server';
import quizStyles from '~/styles/quiz.css';
import { FieldError } from '~/components/field';
import { QuizModeChoice } from '~/components/quiz/mode-choice';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: quizStyles }];

export const meta: MetaFunction = () => [{ title: 'Quizzes — Stride' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const now = new Date();
  // Formatted here, in the user's zone: the server's and the browser's locale would differ at hydration.
  const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: user.timeZone });
  const history = (await listAttempts({ userId: user.id, now })).map((a) => ({
    id: a.id,
    mode: a.mode,
    questions: a.questions,
    correct: a.correct,
    total: a.total,
    percent: a.percent,
    replayOf: a.config.replayOf ?? null,
    filters: [...a.config.banks, ...a.config.topics, ...a.config.tags].join(', ') || 'everything',
    timeLimitMinutes: a.config.timeLimitMinutes,
    startedAt: when.format(a.startedAt),
    submitted: a.submittedAt !== null,
  }));
  return { options: await storedItemFailureAsHttp(() => quizOptions({ userId: user.id })), history };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireUser(request);
  const form = await request.formData();
  const now = new Date();
  const intent = form.get('intent');
  try {
    if (intent === 'replay') {
      const attemptId = Number(form.get('attemptId'));
      if (!Number.isSafeInteger(attemptId) || attemptId <= 0) return data({ errors: { form: 'attemptId must be the number of one of your attempts' } as Record<string, string> }, { status: 400 });
      return redirect(`/quiz/${(await replayAttempt({ userId: user.id, attemptId, now })).id}`);
    }
    if (intent !== 'start') return data({ errors: { form: 'intent must be start or replay' } as Record<string, string> }, { status: 400 });
    const parsed = parseQuizBuilderForm(form);
    if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
    return redirect(`/quiz/${(await storedItemFailureAsHttp(() => startQuiz({ userId: user.id, build: parsed.data, now }))).id}`);
  } catch (err) {
    if (err instanceof QuizRefused) return data({ errors: { form: err.message } as Record<string, string> }, { status: err.status });
    if (err instanceof AccessDenied) throw new Response(err.message, { status: 403 });
    throw err;
  }
}

export default function QuizBuilder() {
  const { options, history } = useLoaderData<typeof loader>();
  const errors: Record<string, string> = useActionData<typeof action>()?.errors ?? {};
  const busy = useNavigation().state === 'submitting';
  const trend = history
    .filter((h) => h.percent !== null)
    .reverse()
    .slice(-20)
    .map((h) => ({ id: h.id, percent: h.percent! }));

  return (
    <section className="quiz-builder" aria-labelledby="quiz-title">
      <h1 id="quiz-title">Exam-prep quiz</h1>
      <p>
        Practise under exam conditions. Choose what to be asked about (nothing chosen: everything), how many questions and how long. Quizzes are scored apart from your daily
        review: they never change its schedule, unless you ask to add your misses to it.
      </p>
      <Form method="post" className="quiz-form" aria-describedby={errors.form ? 'quiz-form-error' : undefined}>
        <input type="hidden" name="intent" value="start" />
        <Choices legend="Banks" name="banks" error={errors.banks} entries={options.banks.map((b) => ({ value: b.id, label: b.title, count: b.count }))} />
        <Choices legend="Topics" name="topics" error={errors.topics} entries={options.topics.map((t) => ({ value: t.topic, label: t.topic, count: t.count }))} />
        <Choices legend="Architectures" name="tags" error={errors.tags} entries={options.tags.map((t) => ({ value: t.tag, label: t.tag, count: t.count }))} />
        <fieldset className="quiz-settings">
          <legend>Quiz</legend>
          <p className="field">
            <label htmlFor="quiz-count">Number of questions</label>
            <br />
            <input id="quiz-count" name="count" type="number" min={1} max={MAX_QUESTIONS} step={1} defaultValue={10} required aria-invalid={errors.count ? true : undefined} />
            {errors.count ? <FieldError id="quiz-count" message={errors.count} /> : null}
          </p>
          <p className="field">
            <label htmlFor="quiz-time">Time limit in minutes (empty: none)</label>
            <br />
            <input id="quiz-time" name="timeLimitMinutes" type="number" min={TIME_LIMIT_MINUTES.min} max={TIME_LIMIT_MINUTES.max} step="any" placeholder="none" aria-invalid={errors.timeLimitMinutes ? true : undefined} />
            {errors.timeLimitMinutes ? <FieldError id="quiz-time" message={errors.timeLimitMinutes} /> : null}
          </p>
          <QuizModeChoice id="quiz-mode" error={errors.mode} />
        </fieldset>
        {errors.form ? (
          <p id="quiz-form-error" className="field-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <button type="submit" disabled={busy} data-testid="start-quiz">
          Start the quiz
        </button>
      </Form>

      <h2>Your attempts</h2>
      {history.length === 0 ? (
        <p>No attempts yet.</p>
      ) : (
        <>
          <ScoreTrend scores={trend} />
          <table className="quiz-history" data-testid="history">
            <thead>
              <tr>
                <th>Attempt</th>
                <th>Started</th>
                <th>Mode</th>
                <th>On</th>
                <th className="num">Score</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.id} data-attempt={h.id}>
                  <td>
                    <Link to={`/quiz/${h.id}`}>#{h.id}</Link>
                    {h.replayOf ? ` (replay of #${h.replayOf})` : ''}
                  </td>
                  <td>{h.startedAt}</td>
                  <td>
                    {h.mode}
                    {h.timeLimitMinutes !== null ? `, ${h.timeLimitMinutes} min` : ''}
                  </td>
                  <td>{h.filters}</td>
                  <td className="num">{h.percent === null ? 'in progress' : `${h.correct}/${h.total} (${h.percent}%)`}</td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="intent" value="replay" />
                      <input type="hidden" name="attemptId" value={h.id} />
                      <button type="submit" className="secondary" data-testid={`replay-${h.id}`}>
                        Replay
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function Choices({ legend, name, entries, error }: { legend: string; name: string; entries: { value: string; label: string; count: number }[]; error?: string }) {
  return (
    <fieldset className="quiz-choices">
      <legend>{legend}</legend>
      {entries.length === 0 ? <p>None available.</p> : null}
      {entries.map((e) => (
        <label key={e.value} className="quiz-choice">
          <input type="checkbox" name={name} value={e.value} /> {e.label} <span className="count">({e.count})</span>
        </label>
      ))}
      {error ? <FieldError id={`quiz-${name}`} message={error} /> : null}
    </fieldset>
  );
}

