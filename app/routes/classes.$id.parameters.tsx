/** The class page's parameter panel data, polled while the class's fit is queued or running. Another's class: 404. */
import type { LoaderFunctionArgs } from '@remix-run/node';
import { classParameters } from '~/models/parameter-view.server';
import { requireInstructor } from '~/session.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireInstructor(request);
  if (!params.id || !/^\d{1,9}$/.test(params.id)) throw new Response('Not Found', { status: 404 });
  // classRunsOf answers 404 for a class the instructor does not teach.
  return classParameters({ classId: Number(params.id), instructorId: user.id, timeZone: user.timeZone, now: new Date() });
}
