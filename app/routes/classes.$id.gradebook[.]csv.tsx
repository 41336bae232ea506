import type { LoaderFunctionArgs } from '@remix-run/node';
import { forbiddenOnDenial } from '~/models/authoring.server';
import { classGradebook, classIdParam, csvResponse, exportFileName, gradebookCsv } from '~/models/gradebook.server';
import { requireInstructor } from '~/session.server';

/** The class's gradebook as Canvas's CSV: a row per student, a column per assigned quiz (best attempt, percent). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireInstructor(request);
  const classId = classIdParam(params.id);
  const book = await forbiddenOnDenial(() => classGradebook({ userId: user.id, classId, now: new Date() }));
  return csvResponse(gradebookCsv(book), exportFileName(book.className, 'gradebook'));
}
