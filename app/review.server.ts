/** The review page's form schemas (kept server-side: a schema in a route module would ship zod to the browser). */
import { z } from 'zod';

const AnswerSchema = z.object({
  intent: z.literal('answer'),
  itemId: z.string().min(1).max(300),
  seed: z.union([z.literal(''), z.coerce.number().int().min(0).max(2 ** 31 - 1)]),
  answer: z.string().max(2000),
  clientReviewId: z.string().min(1).max(100),
  // A tab left open overnight still submits: the time is capped, not refused (it reads as slow anyway).
  durationMs: z.coerce.number().int().min(0).transform((ms) => Math.min(ms, 86_400_000)),
  hinted: z.enum(['true', 'false']).default('false'),
});
const RateSchema = z.object({ intent: z.literal('rate'), clientReviewId: z.string().min(1).max(100), rating: z.coerce.number().int().min(1).max(4) });
const UndoSchema = z.object({ intent: z.literal('undo') });
// The card-actions paragraph: each is a card action (app/models/card-actions.server.ts), undone by `u`.
const SuspendSchema = z.object({ intent: z.literal('suspend'), itemId: z.string().min(1).max(300) });
const BurySchema = z.object({ intent: z.literal('bury'), itemId: z.string().min(1).max(300) });
/** The review page's actions, parsed once at the boundary. */
export const ReviewActionSchema = z.discriminatedUnion('intent', [AnswerSchema, RateSchema, UndoSchema, SuspendSchema, BurySchema]);
