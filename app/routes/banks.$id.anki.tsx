import type { LoaderFunctionArgs } from '@remix-run/node';
import { bankToAnkiTsv } from '~/bank-files.server';
import { exportableBank, forbiddenOnDenial } from '~/models/authoring.server';
import { requireInstructor } from '~/session.server';

/** The bank's fact cards as a tab-separated file for Anki's File → Import (generated items are left out). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireInstructor(request);
  const bank = await forbiddenOnDenial(() => exportableBank({ userId: user.id, bankId: params.id ?? '' }));
  const { text, notes, skipped } = bankToAnkiTsv(bank);
  return new Response(text, {
    headers: {
      'Content-Type': 'text/tab-separated-values; charset=utf-8',
      'Content-Disposition': `attachment; filename="${bank.id}-anki.txt"`,
      'Cache-Control': 'no-store',
      'X-Stride-Notes': String(notes),
      'X-Stride-Skipped-Generated': String(skipped),
    },
  });
}
