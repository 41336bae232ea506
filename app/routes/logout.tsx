import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { assertSameOrigin, destroySession } from '~/session.server';

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  return redirect('/', { headers: { 'Set-Cookie': await destroySession(request) } });
}

/** GET /logout shows nothing to click through: logging out is a POST (a link cannot log you out). */
export async function loader() {
  return redirect('/');
}
