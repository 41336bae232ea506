import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useSearchParams } from '@remix-run/react';
import { LoginSchema, verifyLogin } from '~/models/user.server';
import { parseForm } from '~/forms';
import { assertSameOrigin, createSession, getUser, safeRedirect } from '~/session.server';
import { Field } from './signup';

export const meta: MetaFunction = () => [{ title: 'Log in — Stride' }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect('/');
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = await request.formData();
  const parsed = parseForm(LoginSchema, form);
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const user = await verifyLogin(parsed.data);
  if (!user) return data({ errors: { form: 'That email and password do not match an account.' } as Record<string, string> }, { status: 400 });
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
