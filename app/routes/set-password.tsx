import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { NewPasswordField } from '~/components/field';
import { parseForm } from '~/forms';
import { setPasswordTokenUser, TOKEN_ERRORS, usePasswordToken } from '~/models/account-token.server';
import { PasswordSchema } from '~/models/user.server';
import { assertSameOrigin, createSession } from '~/session.server';

export const meta: MetaFunction = () => [{ title: 'Set your password — Stride' }];

const SetPasswordSchema = z.object({ token: z.string().min(1).max(100), password: PasswordSchema });

/** The page of a one-time link `stride user add` printed: who it is for, or why it no longer works. */
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get('token') ?? '';
  const user = token ? await setPasswordTokenUser({ token, now: new Date() }) : null;
  return { token, email: user?.email ?? null, problem: user ? null : TOKEN_ERRORS.setPasswordLink };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const parsed = parseForm(SetPasswordSchema, await request.formData());
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  try {
    const userId = await usePasswordToken({ ...parsed.data, now: new Date() });
    return redirect('/', { headers: { 'Set-Cookie': await createSession(userId) } });
  } catch (err) {
    if (err instanceof Error && err.message === TOKEN_ERRORS.setPasswordLink) return data({ errors: { form: err.message } as Record<string, string> }, { status: 400 });
    throw err;
  }
}

export default function SetPassword() {
  const { token, email, problem } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  return (
    <section className="auth" aria-labelledby="set-password-title">
      <h1 id="set-password-title">Set your password</h1>
      {problem ? (
        <p className="field-error" role="alert">
          {problem}.
        </p>
      ) : (
        <Form method="post">
          <p>{`For ${email}.`}</p>
          <input type="hidden" name="token" value={token} />
          <NewPasswordField label="New password" error={errors.password} />
          {errors.form ? (
            <p className="field-error" role="alert">
              {errors.form}
            </p>
          ) : null}
          <button type="submit">Set password and log in</button>
        </Form>
      )}
    </section>
  );
}
