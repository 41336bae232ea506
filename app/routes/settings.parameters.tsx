/** The scheduler-parameter section's data, polled by /settings while a fit is queued or running. */
import type { LoaderFunctionArgs } from '@remix-run/node';
import { studentParameters } from '~/models/parameter-view.server';
import { requireUser } from '~/session.server';

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return studentParameters({ userId: user.id, timeZone: user.timeZone, now: new Date() });
}
