import type { LoaderFunctionArgs } from '@remix-run/node';
import { forbiddenOnDenial } from '~/models/authoring.server';
import { getTaughtClass } from '~/models/class.server';
import { ACTIVITY_WINDOWS, DEFAULT_ACTIVITY_DAYS, activityCsv, classActivity, classIdParam, csvResponse, exportFileName } from '~/models/gradebook.server';
import { requireInstructor } from '~/session.server';

/** The class's review activity over the last ?days= days (one of ACTIVITY_WINDOWS): reviews, retention, streak per student. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireInstructor(request);
  const classId = classIdParam(params.id);
  const asked = Number(new URL(request.url).searchParams.get('days'));
  const days = (ACTIVITY_WINDOWS as readonly number[]).includes(asked) ? asked : DEFAULT_ACTIVITY_DAYS;
  const [taught, rows] = await forbiddenOnDenial(() => Promise.all([getTaughtClass({ userId: user.id, classId }), classActivity({ userId: user.id, classId, now: new Date(), days })]));
  return csvResponse(activityCsv(rows), exportFileName(taught.class.name, `activity-${days}d`));
}
