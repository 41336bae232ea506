import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { parseForm } from '~/forms';
import { CLASS_ERRORS, CLASS_BANKS_NOTICE, createClass, joinClass, joinedClassBanks, leaveClass, listClassesForUser, memberNotice } from '~/models/class.server';
import { forbiddenOnDenial } from '~/models/authoring.server';
import { readFormWithin } from '~/request-limit.server';
import { assertSameOrigin, requireInstructor, requireUser } from '~/session.server';
import instructorStyles from '~/styles/instructor.css';
import { ClassesActionSchema } from '~/models/class.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: instructorStyles }];
export const meta: MetaFunction = () => [{ title: 'Classes — Stride' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const classes = await listClassesForUser({ userId: user.id });
  const classBanks = await joinedClassBanks({ userId: user.id, now: new Date() });
  return {
    // Text from the model, through the loader: the page's bundle does not carry class.server.
    classBanksNotice: CLASS_BANKS_NOTICE,
    classBanks: classBanks.map((b) => ({ classId: b.classId, bankId: b.bankId, notice: memberNotice(b) })),
    instructor: user.role === 'instructor',
    taught: classes.filter((c) => c.instructorId === user.id).map((c) => ({ id: c.id, name: c.name, joinCode: c.joinCode })),
    joined: classes.filter((c) => c.instructorId !== user.id).map((c) => ({ id: c.id, name: c.name })),
  };
}


export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireUser(request);
  const parsed = parseForm(ClassesActionSchema(), await readFormWithin(request));
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const input = parsed.data;
  const now = new Date();
  switch (input.intent) {
    case 'create': {
      await requireInstructor(request);
      const created = await forbiddenOnDenial(() => createClass({ userId: user.id, name: input.name, now }));
      throw redirect(`/classes/${created.id}`);
    }
    case 'join':
      try {
        await joinClass({ userId: user.id, joinCode: input.joinCode, now });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (message === CLASS_ERRORS.badCode(input.joinCode.toUpperCase())) return data({ errors: { joinCode: message } as Record<string, string> }, { status: 400 });
        throw err;
      }
      throw redirect('/classes');
    case 'leave':
      await leaveClass({ userId: user.id, classId: input.classId });
      throw redirect('/classes');
  }
}

export default function Classes() {
  const { instructor, taught, joined, classBanks, classBanksNotice } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  return (
    <section className="classes" aria-labelledby="classes-title">
      <h1 id="classes-title">Classes</h1>
      {instructor ? (
        <>
          <h2>Classes you teach</h2>
          <p>
            A colleague who should author banks too? <Link to="/invitations">Invite an instructor</Link>.
          </p>
          {taught.length === 0 ? <p>None yet. Create one, then give its join code to your students.</p> : null}
          <table data-testid="taught-classes">
            <thead>
              <tr>
                <th>Class</th>
                <th>Join code</th>
              </tr>
            </thead>
            <tbody>
              {taught.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/classes/${c.id}`}>{c.name}</Link>
                  </td>
                  <td>
                    <code className="join-code" data-testid="join-code">
                      {c.joinCode}
                    </code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="create" />
            <label htmlFor="class-name">New class</label> <input id="class-name" name="name" required maxLength={120} placeholder="CNN architectures, spring term" />{' '}
            <button type="submit">Create class</button>
            {errors.name ? <span className="field-error" role="alert">{errors.name}</span> : null}
          </Form>
        </>
      ) : null}
      <h2>Classes you belong to</h2>
      {joined.length === 0 ? <p>None yet.</p> : null}
      <ul data-testid="joined-classes">
        {joined.map((c) => (
          <li key={c.id}>
            {c.name}{' '}
            <Form method="post" className="inline">
              <input type="hidden" name="intent" value="leave" />
              <input type="hidden" name="classId" value={c.id} />
              <button type="submit" className="secondary small">
                Leave
              </button>
            </Form>
            {classBanks.some((b) => b.classId === c.id) ? (
              <ul className="class-bank-notices">
                {classBanks
                  .filter((b) => b.classId === c.id)
                  .map((b) => (
                    <li key={b.bankId} data-testid="class-bank-notice" data-bank={b.bankId}>
                      {b.notice}
                    </li>
                  ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value="join" />
        <label htmlFor="join-code">Join a class with its code</label>{' '}
        <input id="join-code" name="joinCode" required maxLength={20} autoComplete="off" aria-invalid={errors.joinCode ? true : undefined} />{' '}
        <button type="submit">Join</button>
        {errors.joinCode ? (
          <span className="field-error" role="alert">
            {' '}
            {errors.joinCode}
          </span>
        ) : null}
      </Form>
      <p className="notice">{classBanksNotice}</p>
    </section>
  );
}
