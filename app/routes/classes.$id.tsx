import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { parseForm } from '~/forms';
import { classAnalytics, TOO_HARD_ACCURACY, TOO_HARD_MIN_ATTEMPTS } from '~/models/analytics.server';
import { ItemAnalyticsTable, percent, seconds } from '~/components/bank-editor/item-analytics';
import { bankJob } from '~/bank-jobs.server';
import { forbiddenOnDenial, publishableBanks } from '~/models/authoring.server';
import { getTaughtClass, unpublishBankFromClass } from '~/models/class.server';
import { readFormWithin } from '~/request-limit.server';
import { assertSameOrigin, requireInstructor } from '~/session.server';
import instructorStyles from '~/styles/instructor.css';
import { ActionOutcome } from '~/components/action-outcome';
import { ClassActionSchema } from '~/models/class.server';
import { countOf, nounFor } from '../../engine/answers';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: instructorStyles }];
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
  return {
    class: { id: taught.class.id, name: taught.class.name, joinCode: taught.class.joinCode },
    members: taught.members.map((m) => ({ id: m.id, displayName: m.displayName, email: m.email, joinedAt: m.joinedAt.toISOString() })),
    banks: taught.banks.map((b) => ({ id: b.id, title: b.title, publishedAt: b.publishedAt.toISOString() })),
    publishable: (await publishableBanks({ userId: user.id })).filter((b) => !published.has(b.id)),
    analytics,
    thresholds: { accuracy: TOO_HARD_ACCURACY, attempts: TOO_HARD_MIN_ATTEMPTS },
  };
}


export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireInstructor(request);
  const classId = classIdOf(params.id);
  await forbiddenOnDenial(() => getTaughtClass({ userId: user.id, classId }));
  const parsed = parseForm(ClassActionSchema(), await readFormWithin(request));
  if (!parsed.ok) return data({ ok: false, message: Object.values(parsed.errors).join('; '), errors: [] as { path: string; message: string }[] }, { status: 400 });
  const { intent, bankId } = parsed.data;
  if (intent === 'unpublish') {
    await forbiddenOnDenial(() => unpublishBankFromClass({ userId: user.id, classId, bankId }));
    return { ok: true, message: `Took ${bankId} off the class.`, errors: [] as { path: string; message: string }[] };
  }
  const result = await bankJob({ kind: 'publish-to-class', userId: user.id, classId, bankId, now: new Date() });
  if (!result.ok) return data({ ok: false, message: result.message, errors: result.errors.map((e) => ({ path: e.path, message: e.message })) }, { status: 409 });
  return { ok: true, message: `Published ${bankId}: it is in the members' daily review from now on.`, errors: [] as { path: string; message: string }[] };
}

export default function ClassPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { analytics } = loaded;
  const answered = analytics.items.filter((i) => i.attempts > 0);
  return (
    <section className="class-page" aria-labelledby="class-title">
      <h1 id="class-title">{loaded.class.name}</h1>
      <p>
        Join code: <code className="join-code" data-testid="join-code">{loaded.class.joinCode}</code> · <Link to="/classes">All classes</Link>
      </p>

      <h2>Banks published to this class</h2>
      <ul data-testid="class-banks">
        {loaded.banks.map((b) => (
          <li key={b.id}>
            {b.title} <code>{b.id}</code>{' '}
            <Form method="post" className="inline">
              <input type="hidden" name="bankId" value={b.id} />
              <button type="submit" name="intent" value="unpublish" className="secondary small">
                Take off
              </button>
            </Form>
          </li>
        ))}
      </ul>
      {loaded.publishable.length ? (
        <Form method="post" className="inline-form">
          <label htmlFor="publish-bank">Publish a bank</label>{' '}
          <select id="publish-bank" name="bankId" required>
            {loaded.publishable.map((b) => (
              <option key={b.id} value={b.id}>
                {b.title} ({b.id}, {b.source === 'content' ? 'Stride' : b.status})
              </option>
            ))}
          </select>{' '}
          <button type="submit" name="intent" value="publish">
            Publish to class
          </button>
        </Form>
      ) : null}
      {result ? (
        <ActionOutcome result={result} testId="class-publish-result" />
      ) : null}

      <h2>Members ({loaded.members.length})</h2>
      <ul data-testid="members">
        {loaded.members.map((m) => (
          <li key={m.id}>
            {m.displayName} &lt;{m.email}&gt;
          </li>
        ))}
      </ul>

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
      <ItemAnalyticsTable items={answered} />
    </section>
  );
}
