/**
 * Load over loopback HTTP: simulated students reviewing at once against the built server on a
 * fresh SQLite file. Each student signs up, then loops: GET /review (the server picks and renders
 * the card), answer it (right or wrong at random, the way the test knows answers: from the item
 * and seed), POST the answer. Reports p50/p99 of the review requests beside /healthz's in the
 * same run, and checks that every acknowledged review is stored and no request failed.
 */
import Database from 'better-sqlite3';
import type { BankItem } from '../../engine/bank/schema';
import { clozeDeletions } from '../../engine/bank/cloze';
import { CLOZE_SEPARATOR } from '../../engine/bank/cloze';
import { itemVariant, parseStoredItem } from '../../engine/bank/item';
import { startServer } from '../support/server';
import { percentile, record, type Benchmark, type BenchRecord } from './harness';

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);

function cookieOf(res: Response): string {
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

function answerFor(item: BankItem, seed: number | null, right: boolean): string {
  switch (item.kind) {
    case 'generated':
      return right ? itemVariant(item, seed ?? 0).answer.display : '7';
    case 'choice':
      return right ? (Array.isArray(item.answer) ? item.answer.join(',') : item.answer) : item.options.map((o) => o.key).find((k) => k !== item.answer)!;
    case 'cloze':
      return clozeDeletions(item.text)
        .map((d) => (right ? d.answer : 'no'))
        .join(CLOZE_SEPARATOR);
    case 'basic':
      return right ? 'knew' : 'forgot';
  }
}

export const httpBenchmark: Benchmark = {
  name: 'http.review_load',
  async run(): Promise<BenchRecord[]> {
    const server = await startServer({ env: { FSRS_FUZZ: 'off' } });
    const db = new Database(server.databasePath, { readonly: true });
    const contentOf = db.prepare('select bank_id as bankId, content from items where id = ?');
    const reviewLatency: number[] = [];
    const healthLatency: number[] = [];
    let acknowledged = 0;
    let serverErrors = 0;
    let otherFailures = 0;
    const timed = async (bucket: number[], url: string, init?: RequestInit) => {
      const t0 = performance.now();
      const res = await fetch(url, { redirect: 'manual', ...init });
      const body = await res.text();
      bucket.push(performance.now() - t0);
      if (res.status >= 500) serverErrors++;
      return { res, body };
    };
    try {
      const cookies: string[] = [];
      for (let i = 0; i < STUDENTS; i++) {
        const form = new URLSearchParams({ email: `load${i}@example.org`, displayName: `Load ${i}`, password: 'load-test-password', role: 'student' });
        const res = await fetch(server.url + '/signup', { method: 'POST', body: form, redirect: 'manual' });
        if (res.status !== 302) throw new Error(`sign-up ${i} answered ${res.status}`);
        cookies.push(cookieOf(res));
      }
      // Lift the new-cards limit so no student runs out of cards before the time is up.
      const setup = new Database(server.databasePath);
      setup.prepare("update users set new_per_day = 100000 where email like 'load%@example.org'").run();
      setup.close();
      const deadline = performance.now() + SECONDS * 1000;
      const student = async (cookie: string, index: number) => {
        let n = 0;
        while (performance.now() < deadline) {
          const page = await timed(reviewLatency, server.url + '/review', { headers: { Cookie: cookie } });
          if (page.res.status !== 200) {
            otherFailures++;
            continue;
          }
          const itemId = attr(page.body, 'data-item');
          if (!itemId) break; // done for the day
          const seedText = attr(page.body, 'data-seed');
          const seed = seedText ? Number(seedText) : null;
          const clientReviewId = hiddenValue(page.body, 'clientReviewId');
          const id = itemId.replace(/&amp;/g, '&');
          const row = contentOf.get(id) as { bankId: string; content: string } | undefined;
          if (!row || !clientReviewId) {
            otherFailures++;
            continue;
          }
          const item = parseStoredItem({ bankId: row.bankId, itemId: id, content: row.content });
          const right = (index + n++) % 4 !== 0;
          const form = new URLSearchParams({ intent: 'answer', itemId, seed: seedText ?? '', answer: answerFor(item, seed, right), clientReviewId, durationMs: '9000' });
          const posted = await timed(reviewLatency, server.url + '/review', { method: 'POST', body: form, headers: { Cookie: cookie } });
          if (posted.res.status === 200) acknowledged++;
          else otherFailures++;
          if (n % 5 === 0) await timed(healthLatency, server.url + '/healthz');
        }
      };
      await Promise.all(cookies.map((c, i) => student(c, i)));
      const stored = (db.prepare('select count(*) as n from reviews').get() as { n: number }).n;
      const health = { p50: percentile(healthLatency, 50), p99: percentile(healthLatency, 99) };
      return [
        record('http.review.p50_ms', percentile(reviewLatency, 50), 'ms', { name: 'http.healthz.p50_ms', value: health.p50 }),
        record('http.review.p99_ms', percentile(reviewLatency, 99), 'ms', { name: 'http.healthz.p99_ms', value: health.p99 }),
        record('http.review.requests_per_s', reviewLatency.length / SECONDS, 'req/s', null),
        record('http.review.students', STUDENTS, 'students', null),
        record('http.review.acknowledged', acknowledged, 'reviews', { name: 'http.review.stored', value: stored }),
        record('http.review.server_errors', serverErrors, 'responses', null),
        record('http.review.other_failures', otherFailures, 'responses', null),
      ];
    } finally {
      db.close();
      await server.stop();
    }
  },
};
