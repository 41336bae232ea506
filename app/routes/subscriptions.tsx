import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { parseForm } from '~/forms';
import { listSubscriptions, setSubscription, SubscriptionFormSchema, SubscriptionNotFound, SubscriptionRefused } from '~/models/subscription.server';
import { readFormWithin } from '~/request-limit.server';
import { assertSameOrigin, requireUser } from '~/session.server';

export const meta: MetaFunction = () => [{ title: 'What I study — Stride' }];

/** The page's words, in one place. */
const TEXT = {
  title: 'What I study',
  intro:
    'Your class banks are on from the moment your instructor publishes them; you can pause one (no new cards, its due reviews still come). The built-in banks can also be turned off (nothing from them).',
  states: { on: 'On', paused: 'Paused', off: 'Off' },
  stateHelp: { on: 'new cards and reviews', paused: 'no new cards; due reviews still come', off: 'nothing from it' },
  fromClass: (names: string[]) => `from your class ${names.join(', ')}`,
  builtIn: 'built-in bank',
  items: (n: number) => `${n} ${n === 1 ? 'item' : 'items'}`,
  save: 'Save',
  saved: (title: string, state: string) => `${title} is now ${state.toLowerCase()}.`,
  none: 'No banks yet.',
} as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { banks: await listSubscriptions({ userId: user.id }) };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireUser(request);
  const parsed = parseForm(SubscriptionFormSchema(), await readFormWithin(request));
  if (!parsed.ok) return data({ ok: false as const, bankId: null, errors: parsed.errors }, { status: 400 });
  const { bankId, state } = parsed.data;
  try {
    const saved = await setSubscription({ userId: user.id, bankId, state, now: new Date() });
    return { ok: true as const, bankId, message: TEXT.saved(saved.title, TEXT.states[saved.state]) };
  } catch (err) {
    if (err instanceof SubscriptionNotFound) throw new Response(err.message, { status: 404 });
    if (err instanceof SubscriptionRefused) return data({ ok: false as const, bankId, errors: { state: err.message } as Record<string, string> }, { status: 400 });
    throw err;
  }
}

export default function Subscriptions() {
  const { banks } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  return (
    <section aria-labelledby="subscriptions-title">
      <h1 id="subscriptions-title">{TEXT.title}</h1>
      <p>{TEXT.intro}</p>
      <p role="status" data-testid="subscription-status">
        {result?.ok ? result.message : ''}
      </p>
      {result && !result.ok && result.bankId === null ? (
        <p className="field-error" role="alert">
          {Object.values(result.errors).join('; ')}
        </p>
      ) : null}
      {banks.length === 0 ? <p>{TEXT.none}</p> : null}
      {banks.map((b) => {
        const error = result && !result.ok && result.bankId === b.bankId ? result.errors.state : undefined;
        const errorId = `subscription-error-${b.bankId}`;
        return (
          <Form method="post" key={`${b.bankId}:${b.state}`} className="subscription" data-testid={`subscription-${b.bankId}`}>
            <input type="hidden" name="bankId" value={b.bankId} />
            <fieldset aria-describedby={error ? errorId : undefined}>
              <legend>
                {b.title} <span className="muted">— {b.source === 'class' ? TEXT.fromClass(b.classes.map((c) => c.name)) : TEXT.builtIn}, {TEXT.items(b.items)}</span>
              </legend>
              {(['on', 'paused', 'off'] as const)
                .filter((s) => s !== 'off' || b.canTurnOff)
                .map((s) => (
                  <label key={s} className="radio">
                    <input type="radio" name="state" value={s} defaultChecked={b.state === s} /> {TEXT.states[s]} <span className="muted">({TEXT.stateHelp[s]})</span>
                  </label>
                ))}{' '}
              <button type="submit" className="small" disabled={busy}>
                {TEXT.save}
              </button>
              {error ? (
                <span id={errorId} className="field-error" role="alert">
                  {error}
                </span>
              ) : null}
            </fieldset>
          </Form>
        );
      })}
    </section>
  );
}
