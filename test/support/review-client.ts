/**
 * A student reviewing over HTTP, as the browser does: GET /review (the server picks and renders
 * the card), answer it right or wrong (knowing the answer from the stored item and seed, as the
 * grader does), POST the answer. Used by the load benchmark, the PostgreSQL server tests and the
 * quiz browser test (answerParts).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import type { BankItem } from '../../engine/bank/schema';
import { clozeDeletions, CLOZE_SEPARATOR } from '../../engine/bank/cloze';
import { itemVariant, networkVariant, parseStoredItem } from '../../engine/bank/item';

export function cookieOf(res: Response): string {
  const set = res.headers.get('set-cookie') ?? '';
  return set.split(';')[0] ?? '';
}

function attr(html: string, name: string): string | null {
  const m = new RegExp(`${name}="([^"]*)"`).exec(html);
  return m ? m[1]! : null;
}

function hiddenValue(html: string, name: string): string | null {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  return m ? m[1]! : null;
}

/** The raw answer, right or deliberately wrong, computed from the item and its seed: one part per blank of a cloze. */
export function answerParts(item: BankItem, seed: number | null, right: boolean): string[] {
  switch (item.kind) {
    case 'generated':
      return [right ? itemVariant(item, seed ?? 0).answer.display : '1'];
    case 'network':
      return [right ? networkVariant(item).answer.display : '1'];
    case 'choice': {
      const keys = Array.isArray(item.answer) ? item.answer : [item.answer];
      return right ? keys : [item.options.find((o) => !keys.includes(o.key))!.key];
    }
    case 'cloze':
      return clozeDeletions(item.text).map((d) => (right ? d.answer : 'zzz'));
    case 'basic':
      return [right ? 'knew' : 'forgot'];
  }
}

/** The answer as the review form posts it (a cloze's blanks joined, a choice's keys by commas). */
export function answerFor(item: BankItem, seed: number | null, right: boolean): string {
  const parts = answerParts(item, seed, right);
  return item.kind === 'cloze' ? parts.join(CLOZE_SEPARATOR) : parts.join(',');
}

/** Signs a student up through the form; returns the session cookie. */
export async function signUp(baseUrl: string, email: string): Promise<string> {
  const form = new URLSearchParams({ email, displayName: email.split('@')[0]!, password: 'load-test-password', role: 'student' });
  const res = await fetch(baseUrl + '/signup', { method: 'POST', body: form, redirect: 'manual' });
  if (res.status !== 302) throw new Error(`sign-up of ${email} answered ${res.status}: ${await res.text()}`);
  return cookieOf(res);
}

export type ReviewStep =
  | { kind: 'done' }
  | { kind: 'reviewed'; status: number; clientReviewId: string; itemId: string }
  | { kind: 'failed'; status: number; where: 'page' | 'post' | 'item' };

/**
 * One card: the page, then the answer. `fetchTimed` lets a benchmark time each request. The
 * item's stored content is read from `database` (the server's database, another connection).
 */
export async function reviewOneCard(
  baseUrl: string,
  cookie: string,
  database: Database,
  right: boolean,
  fetchTimed: (url: string, init?: RequestInit) => Promise<{ res: Response; body: string }> = async (url, init) => {
    const res = await fetch(url, { redirect: 'manual', ...init });
    return { res, body: await res.text() };
  },
): Promise<ReviewStep> {
  const page = await fetchTimed(baseUrl + '/review', { headers: { Cookie: cookie } });
  if (page.res.status !== 200) return { kind: 'failed', status: page.res.status, where: 'page' };
  const itemId = attr(page.body, 'data-item');
  if (!itemId) return { kind: 'done' };
  const seedText = attr(page.body, 'data-seed');
  const seed = seedText ? Number(seedText) : null;
  const clientReviewId = hiddenValue(page.body, 'clientReviewId');
  const id = itemId.replace(/&amp;/g, '&');
  const [row] = await database.rows<{ bankId: string; content: string }>(sql`select bank_id as "bankId", content from items where id = ${id}`);
  if (!row || !clientReviewId) return { kind: 'failed', status: 0, where: 'item' };
  const item = parseStoredItem({ bankId: row.bankId, itemId: id, content: row.content });
  const form = new URLSearchParams({ intent: 'answer', itemId, seed: seedText ?? '', answer: answerFor(item, seed, right), clientReviewId, durationMs: '9000' });
  const posted = await fetchTimed(baseUrl + '/review', { method: 'POST', body: form, headers: { Cookie: cookie } });
  if (posted.res.status !== 200) return { kind: 'failed', status: posted.res.status, where: 'post' };
  return { kind: 'reviewed', status: 200, clientReviewId, itemId: id };
}
