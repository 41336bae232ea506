import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { invitationPath, issueInvitation, INVITATION_TTL_MS } from '~/models/account-token.server';
import { assertSameOrigin, requireInstructor } from '~/session.server';
import { countOf } from '../../engine/answers';

export const meta: MetaFunction = () => [{ title: 'Invite an instructor — Stride' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireInstructor(request);
  return { days: INVITATION_TTL_MS / 86_400_000 };
}

/** An instructor issues a one-time link; whoever signs up through it is an instructor. */
export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireInstructor(request);
  const { token, expiresAt } = await issueInvitation({ invitedBy: user.id, role: 'instructor', now: new Date() });
  return { link: new URL(invitationPath(token), request.url).href, expiresAt: expiresAt.toISOString() };
}

export default function Invitations() {
  const { days } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section aria-labelledby="invite-title">
      <h1 id="invite-title">Invite an instructor</h1>
      <p>A link works once and for {countOf(days, 'day')}: whoever signs up through it gets an instructor account. Send it only to the person it is for.</p>
      <Form method="post">
        <button type="submit">Create an invitation link</button>
      </Form>
      {result ? (
        <p role="status">
          Invitation link (until {result.expiresAt.slice(0, 10)}): <code data-invitation>{result.link}</code>
        </p>
      ) : null}
    </section>
  );
}
