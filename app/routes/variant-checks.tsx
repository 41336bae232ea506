/**
 * POST /variant-checks (action only): a student's engine panel reports its tfjs check of the
 * variant they just answered, for "verified on N" (app/models/verification.server.ts). The
 * engine's verdict is recomputed on the server from the seed; tfjs's is stored as reported,
 * one row per user, item and seed.
 */
import type { ActionFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { parseForm } from '~/forms';
import { recordReviewCheck } from '~/models/verification.server';
import { assertSameOrigin, requireUser } from '~/session.server';

const VariantCheckSchema = z.object({
  itemId: z.string().min(1).max(300),
  seed: z.coerce.number().int().min(0).max(2 ** 31 - 1),
  tfjsOk: z.enum(['true', 'false']),
  detail: z.string().max(5000).default(''),
});

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireUser(request);
  const parsed = parseForm(VariantCheckSchema, await request.formData());
  // A resource route answers with a Response of its own: its status is the one sent.
  if (!parsed.ok) return Response.json({ ok: false, errors: parsed.errors }, { status: 400 });
  const { itemId, seed, tfjsOk, detail } = parsed.data;
  const result = await recordReviewCheck({ userId: user.id, itemId, seed, tfjsOk: tfjsOk === 'true', detail: detail === '' ? null : detail, now: new Date() });
  if (!result.ok) throw new Response(result.message, { status: result.status });
  return Response.json({ ok: true, recorded: result.recorded });
}
