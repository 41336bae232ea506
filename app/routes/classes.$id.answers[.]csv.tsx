import type { LoaderFunctionArgs } from '@remix-run/node';
import { forbiddenOnDenial } from '~/models/authoring.server';
import { getTaughtClass } from '~/models/class.server';
import { answersCsv, classAnswerLines, classIdParam, csvResponse, exportFileName } from '~/models/gradebook.server';
import { requireInstructor } from '~/session.server';

/** Every answer of every submitted attempt of the class's quizzes: item, correct, score after regrades, time. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireInstructor(request);
  const classId = classIdParam(params.id);
  const [taught, lines] = await forbiddenOnDenial(() => Promise.all([getTaughtClass({ userId: user.id, classId }), classAnswerLines({ userId: user.id, classId, now: new Date() })]));
  return csvResponse(answersCsv(lines), exportFileName(taught.class.name, 'quiz-answers'));
}
