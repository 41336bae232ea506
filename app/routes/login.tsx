import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useSearchParams } from '@remix-run/react';
import { Field } from '~/components/field';
import { parseForm } from '~/forms';
import { beginLoginAttempt, LOGIN_ERRORS, loginKeys, loginSucceeded } from '~/models/login-limit.server';
import { LoginSchema, verifyLogin } from '~/models/user.server';
import { assertSameOrigin, createSession, getUser, safeRedirect } from '~/session.server';
import { retryAfterHeaders, tooManyAttempts } from '~/login-throttle.server';

export const meta: MetaFunction = () => [{ title: 'Log in — Stride' }];

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect('/');
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = await request.formData();
  const parsed = parseForm(LoginSchema, form);
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const now = new Date();
  const attempt = await beginLoginAttempt({ keys: loginKeys({ email: parsed.data.email, address: context.clientAddress }), now });
  if (!attempt.allowed) return tooManyAttempts(attempt.retryAfterSeconds);
  const user = await verifyLogin(parsed.data);
  if (!user) return data({ errors: { form: LOGIN_ERRORS.mismatch } as Record<string, string> }, { status: 400 });
  await loginSucceeded({ attempt });
  const cookie = await createSession(user.id);
  return redirect(safeRedirect(form.get('redirectTo')), { headers: { 'Set-Cookie': cookie } });
}

export default function Login() {
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const [params] = useSearchParams();
  return (
    <section className="auth" aria-labelledby="login-title">
      <h1 id="login-title">Log in to Stride</h1>
      <Form method="post">
        <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? '/'} />
        <Field name="email" label="Email" type="email" autoComplete="email" required error={errors.email} />
        <Field name="password" label="Password" type="password" autoComplete="current-password" required error={errors.password} />
        {errors.form ? (
          <p className="field-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <button type="submit">Log in</button>
      </Form>
      <p>
        New here? <Link to={`/signup${params.get('redirectTo') ? `?redirectTo=${encodeURIComponent(params.get('redirectTo')!)}` : ''}`}>Create an account</Link>
      </p>
    </section>
  );
}
