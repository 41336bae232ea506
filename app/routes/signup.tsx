import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { Field, NewPasswordField } from '~/components/field';
import { parseForm } from '~/forms';
import { invitationIsLive, SIGNUP_ERRORS, signUp, TOKEN_ERRORS } from '~/models/account-token.server';
import { beginLoginAttempt, loginKeys, loginSucceeded } from '~/models/login-limit.server';
import { SignupSchema } from '~/models/user.server';
import { useNonce } from '~/nonce';
import { assertSameOrigin, createSession, getUser, safeRedirect } from '~/session.server';
import { retryAfterHeaders, tooManyAttempts } from '~/login-throttle.server';

export const meta: MetaFunction = () => [{ title: 'Sign up — Stride' }];

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect('/');
  const token = new URL(request.url).searchParams.get('invitation');
  if (!token) return { invitation: null };
  const live = await invitationIsLive({ token, now: new Date() });
  return { invitation: { live, problem: live ? null : TOKEN_ERRORS.invitation } };
}

export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = await request.formData();
  const parsed = parseForm(SignupSchema, form);
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const { invitation, ...account } = parsed.data;
  const now = new Date();
  // A taken email signs its owner in when the password is right: the sign-up form is a way to
  // try passwords, so it counts against the same limit as the login form.
  const attempt = await beginLoginAttempt({ keys: loginKeys({ email: account.email, address: context.clientAddress }), now });
  if (!attempt.allowed) return tooManyAttempts(attempt.retryAfterSeconds);
  try {
    const { user } = await signUp({ account, invitation: invitation || undefined, now });
    await loginSucceeded({ attempt });
    const cookie = await createSession(user.id);
    return redirect(safeRedirect(form.get('redirectTo')), { headers: { 'Set-Cookie': cookie } });
  } catch (err) {
    const message = err instanceof Error ? err.message : '';
    if (message === SIGNUP_ERRORS.refused || message === TOKEN_ERRORS.invitation) return data({ errors: { form: message } as Record<string, string> }, { status: 400 });
    throw err;
  }
}

export default function Signup() {
  const { invitation } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const [params] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  const nonce = useNonce();
  return (
    <section className="auth" aria-labelledby="signup-title">
      <h1 id="signup-title">{invitation?.live ? 'Create your Stride instructor account' : 'Create your Stride account'}</h1>
      {invitation?.problem ? <p className="field-error">{invitation.problem}.</p> : null}
      <Form method="post" noValidate={false}>
        <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? '/'} />
        <input type="hidden" name="timeZone" id="timeZone" defaultValue="UTC" />
        {invitation?.live ? <input type="hidden" name="invitation" value={params.get('invitation') ?? ''} /> : null}
        <Field name="email" label="Email" type="email" autoComplete="email" required maxLength={254} error={errors.email} />
        <Field name="displayName" label="Name" autoComplete="name" required maxLength={80} error={errors.displayName} />
        <NewPasswordField label="Password" error={errors.password} />
        {errors.form ? (
          <p className="field-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          Sign up
        </button>
      </Form>
      <p>
        Have an account? <Link to="/login">Log in</Link>
      </p>
      <script
        nonce={nonce}
        // Fill the browser's time zone so the study day turns over at the student's 4 a.m.
        dangerouslySetInnerHTML={{ __html: `try{document.getElementById('timeZone').value=Intl.DateTimeFormat().resolvedOptions().timeZone||'UTC'}catch(e){}` }}
      />
    </section>
  );
}
