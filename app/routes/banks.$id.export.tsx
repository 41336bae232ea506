import type { LoaderFunctionArgs } from '@remix-run/node';
import { bankToYaml } from '~/bank-files.server';
import { exportableBank, forbiddenOnDenial } from '~/models/authoring.server';
import { requireInstructor } from '~/session.server';

/** The bank as one content/ file (bank.yaml), for download: import it back for the same bank. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireInstructor(request);
  const bank = await forbiddenOnDenial(() => exportableBank({ userId: user.id, bankId: params.id ?? '' }));
  return new Response(bankToYaml(bank), {
    headers: {
      'Content-Type': 'application/yaml; charset=utf-8',
      'Content-Disposition': `attachment; filename="${bank.id}.yaml"`,
      'Cache-Control': 'no-store',
    },
  });
}
