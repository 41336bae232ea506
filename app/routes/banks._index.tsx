import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { parseForm } from '~/forms';
import { forbiddenOnDenial, saveBankText, starterBankYaml } from '~/models/authoring.server';
import { listBanksForUser } from '~/models/bank.server';
import { readFormWithin } from '~/request-limit.server';
import { assertSameOrigin, requireInstructor, requireUser } from '~/session.server';
import instructorStyles from '~/styles/instructor.css';
import { NewBankSchema } from '~/models/authoring.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: instructorStyles }];
export const meta: MetaFunction = () => [{ title: 'Banks — Stride' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { studied, owned } = await listBanksForUser({ userId: user.id });
  const row = (b: (typeof studied)[number]) => ({ id: b.id, title: b.title, source: b.source, status: b.status, version: b.version, updatedAt: b.updatedAt.toISOString() });
  return {
    instructor: user.role === 'instructor',
    studied: studied.filter((b) => b.ownerId !== user.id).map(row),
    owned: user.role === 'instructor' ? owned.map(row) : [],
  };
}


export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireInstructor(request);
  const parsed = parseForm(NewBankSchema(), await readFormWithin(request));
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const { id, title } = parsed.data;
  if ((await listBanksForUser({ userId: user.id })).owned.some((b) => b.id === id)) return data({ errors: { id: `you already have a bank ${id}` } as Record<string, string> }, { status: 400 });
  const saved = await forbiddenOnDenial(() => saveBankText({ userId: user.id, text: starterBankYaml(id, title), now: new Date() }));
  if (!saved.ok) return data({ errors: { id: saved.errors.map((e) => e.message).join('; ') } as Record<string, string> }, { status: 400 });
  throw redirect(`/banks/${id}/edit`);
}

export default function Banks() {
  const { instructor, studied, owned } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  return (
    <section className="banks" aria-labelledby="banks-title">
      <h1 id="banks-title">Question banks</h1>
      {instructor ? (
        <>
          <h2>Your banks</h2>
          {owned.length === 0 ? <p>You have no banks yet: start one below, or import a bank file.</p> : null}
          <ul className="bank-list" data-testid="owned-banks">
            {owned.map((b) => (
              <li key={b.id}>
                <Link to={`/banks/${b.id}/edit`}>{b.title}</Link> <code>{b.id}</code>{' '}
                <span className={`status status-${b.status}`}>{b.status}</span> version {b.version}
              </li>
            ))}
          </ul>
          <div className="bank-actions">
            <Form method="post" className="new-bank" aria-labelledby="new-bank-title">
              <h3 id="new-bank-title">New bank</h3>
              <p className="field">
                <label htmlFor="new-bank-id">Id</label>
                <input id="new-bank-id" name="id" required pattern="[a-z0-9]+(-[a-z0-9]+)*" maxLength={80} placeholder="my-cnn-bank" aria-invalid={errors.id ? true : undefined} />
                {errors.id ? <span className="field-error" role="alert">{errors.id}</span> : null}
              </p>
              <p className="field">
                <label htmlFor="new-bank-title-input">Title</label>
                <input id="new-bank-title-input" name="title" required maxLength={200} aria-invalid={errors.title ? true : undefined} />
                {errors.title ? <span className="field-error" role="alert">{errors.title}</span> : null}
              </p>
              <button type="submit">Create bank</button>
            </Form>
            <p>
              <Link to="/banks/import">Import a bank file (YAML)</Link>
            </p>
          </div>
        </>
      ) : null}
      <h2>Banks you study</h2>
      <ul className="bank-list" data-testid="studied-banks">
        {studied.map((b) => (
          <li key={b.id}>
            {b.title} <code>{b.id}</code> {b.source === 'content' ? <span className="status">Stride</span> : <span className="status">class</span>}
            {instructor ? (
              <>
                {' '}
                · <a href={`/banks/${b.id}/export`}>YAML</a> · <a href={`/banks/${b.id}/anki`}>Anki</a>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
