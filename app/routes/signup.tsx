import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react';
import { createUser, SignupSchema, USER_ERRORS } from '~/models/user.server';
import { parseForm } from '~/forms';
import { assertSameOrigin, createSession, getUser, safeRedirect } from '~/session.server';

export const meta: MetaFunction = () => [{ title: 'Sign up — Stride' }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect('/');
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = await request.formData();
  const parsed = parseForm(SignupSchema, form);
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  try {
    const user = await createUser({ ...parsed.data, now: new Date() });
    const cookie = await createSession(user.id);
    return redirect(safeRedirect(form.get('redirectTo')), { headers: { 'Set-Cookie': cookie } });
  } catch (err) {
    if (err instanceof Error && err.message === USER_ERRORS.emailTaken(parsed.data.email))
      return data({ errors: { email: `${err.message}; log in instead.` } as Record<string, string> }, { status: 400 });
    throw err;
  }
}

export default function Signup() {
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const [params] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  return (
    <section className="auth" aria-labelledby="signup-title">
      <h1 id="signup-title">Create your Stride account</h1>
      <Form method="post" noValidate={false}>
        <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? '/'} />
        <input type="hidden" name="timeZone" id="timeZone" defaultValue="UTC" />
        <Field name="email" label="Email" type="email" autoComplete="email" required maxLength={254} error={errors.email} />
        <Field name="displayName" label="Name" autoComplete="name" required maxLength={80} error={errors.displayName} />
        <Field name="password" label="Password" type="password" autoComplete="new-password" required minLength={8} maxLength={200} error={errors.password} />
        <fieldset>
          <legend>I am a</legend>
          <label>
            <input type="radio" name="role" value="student" defaultChecked /> student
          </label>{' '}
          <label>
            <input type="radio" name="role" value="instructor" /> instructor
          </label>
        </fieldset>
        {errors.form ? <p className="field-error">{errors.form}</p> : null}
        <button type="submit" disabled={busy}>
          Sign up
        </button>
      </Form>
      <p>
        Have an account? <Link to="/login">Log in</Link>
      </p>
      <script
        // Fill the browser's time zone so the study day turns over at the student's 4 a.m.
        dangerouslySetInnerHTML={{ __html: `try{document.getElementById('timeZone').value=Intl.DateTimeFormat().resolvedOptions().timeZone||'UTC'}catch(e){}` }}
      />
    </section>
  );
}

export function Field({ name, label, error, ...input }: { name: string; label: string; error?: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  const id = `field-${name}`;
  return (
    <p className="field">
      <label htmlFor={id}>{label}</label>
      <br />
      <input id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} {...input} />
      {error ? (
        <span id={`${id}-error`} className="field-error" role="alert">
          {' '}
          {error}
        </span>
      ) : null}
    </p>
  );
}
