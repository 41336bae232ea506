/**
 * Load over loopback HTTP: simulated students reviewing at once against the built server, in
 * three configurations one after the other: on a fresh SQLite file (http.sqlite.*), on a fresh
 * PostgreSQL database with one Stride process (http.postgres1.*), and with two Stride processes
 * on one PostgreSQL database (http.postgres2.*: a load balancer's part played by the students,
 * student i on process i % 2). Each student signs up, then reviews card after card
 * (test/support/review-client.ts) until the time is up. Reports p50/p99 of the review requests
 * beside /healthz's in the same run, requests/s, and checks that every acknowledged review is
 * stored once and no request failed. BENCH_STUDENTS, BENCH_SECONDS, BENCH_POOL_SIZE (each
 * process's PostgreSQL connections), BENCH_HTTP_CONFIGS (e.g. `sqlite,postgres2`) tune a run.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { connect, type Database } from '../../db/client';
import { createTestDatabase } from '../support/postgres';
import { reviewOneCard, signUp } from '../support/review-client';
import { startServer, type TestServer } from '../support/server';
import { percentile, record, type Benchmark, type BenchRecord } from './harness';

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const POOL_SIZE = process.env.BENCH_POOL_SIZE ?? '10';
const CONFIGS = ['sqlite', 'postgres1', 'postgres2'] as const;
type Config = (typeof CONFIGS)[number];

interface LoadResult {
  reviewLatency: number[];
  healthLatency: number[];
  acknowledged: number;
  stored: number;
  /** Acknowledged reviews not found in the database. */
  missing: number;
  /** (user, client review id) stored more than once. */
  duplicates: number;
  serverErrors: number;
  otherFailures: number;
  /** CPU seconds used during the load, by the Stride processes together and by this client. */
  cpu: { servers: number; client: number };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux; 0 elsewhere). */
function cpuSecondsOf(pid: number | undefined): number {
  try {
    // Fields after the parenthesised name: utime and stime are the 12th and 13th, in clock ticks (100 a second).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The servers of a configuration and a connection of the bench's own to their database. */
async function startConfig(config: Config): Promise<{ servers: TestServer[]; database: Database; stop(): Promise<void> }> {
  const env = { FSRS_FUZZ: 'off' };
  if (config === 'sqlite') {
    const server = await startServer({ env });
    const database = connect(server.databaseTarget);
    return {
      servers: [server],
      database,
      async stop() {
        await database.close();
        await server.stop();
      },
    };
  }
  const target = await createTestDatabase();
  // Started together, as a deployment would: they share the migration and start-up locks.
  const processes = config === 'postgres2' ? 2 : 1;
  const started = await Promise.allSettled(Array.from({ length: processes }, () => startServer({ env: { ...env, DATABASE_URL: target.url, DATABASE_POOL_SIZE: POOL_SIZE } })));
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(servers.map((s) => s.stop()));
    await target.drop();
    throw failed.reason;
  }
  const database = connect(target.url, { poolSize: 4 });
  return {
    servers,
    database,
    async stop() {
      await database.close();
      await Promise.all(servers.map((s) => s.stop()));
      await target.drop();
    },
  };
}

async function reviewLoad(servers: TestServer[], database: Database): Promise<LoadResult> {
  const reviewLatency: number[] = [];
  const healthLatency: number[] = [];
  const acknowledgedIds: { email: string; clientReviewId: string }[] = [];
  let serverErrors = 0;
  let otherFailures = 0;
  const timed = (bucket: number[]) => async (url: string, init?: RequestInit) => {
    const t0 = performance.now();
    const res = await fetch(url, { redirect: 'manual', ...init });
    const body = await res.text();
    bucket.push(performance.now() - t0);
    if (res.status >= 500) serverErrors++;
    return { res, body };
  };
  const serverOf = (i: number) => servers[i % servers.length]!;
  const emailOf = (i: number) => `load${i}@example.org`;
  const cookies: string[] = [];
  for (let i = 0; i < STUDENTS; i++) cookies.push(await signUp(serverOf(i).url, emailOf(i)));
  // Lift the new-cards limit so no student runs out of cards before the time is up.
  await database.rows(sql`update users set new_per_day = 100000 where email like 'load%@example.org'`);
  const serversCpu = () => servers.reduce((sum, s) => sum + cpuSecondsOf(s.process.pid), 0);
  const cpuBefore = { servers: serversCpu(), client: process.cpuUsage() };
  const deadline = performance.now() + SECONDS * 1000;
  const student = async (i: number) => {
    const { url } = serverOf(i);
    for (let n = 0; performance.now() < deadline; ) {
      const step = await reviewOneCard(url, cookies[i]!, database, (i + n) % 4 !== 0, timed(reviewLatency));
      if (step.kind === 'done') break;
      if (step.kind === 'failed') {
        if (step.status < 500) otherFailures++;
        continue;
      }
      acknowledgedIds.push({ email: emailOf(i), clientReviewId: step.clientReviewId });
      if (++n % 5 === 0) await timed(healthLatency)(url + '/healthz');
    }
  };
  await Promise.all(cookies.map((_, i) => student(i)));
  const clientCpu = process.cpuUsage(cpuBefore.client);
  const cpu = { servers: serversCpu() - cpuBefore.servers, client: (clientCpu.user + clientCpu.system) / 1e6 };

  const storedIds = await database.rows<{ email: string; clientReviewId: string }>(
    sql`select u.email, r.client_review_id as "clientReviewId" from reviews r join users u on u.id = r.user_id where u.email like 'load%@example.org'`,
  );
  const [counts] = await database.rows<{ stored: number | string; duplicates: number | string }>(
    sql`select (select count(*) from reviews) as stored,
               (select count(*) from (select 1 from reviews group by user_id, client_review_id having count(*) > 1) d) as duplicates`,
  );
  const stored = new Set(storedIds.map((r) => `${r.email} ${r.clientReviewId}`));
  return {
    reviewLatency,
    healthLatency,
    acknowledged: acknowledgedIds.length,
    stored: Number(counts!.stored),
    missing: acknowledgedIds.filter((a) => !stored.has(`${a.email} ${a.clientReviewId}`)).length,
    duplicates: Number(counts!.duplicates),
    serverErrors,
    otherFailures,
    cpu,
  };
}

function recordsOf(config: Config, r: LoadResult, against: { name: string; requestsPerSecond: number } | null): BenchRecord[] {
  const name = (figure: string) => `http.${config}.${figure}`;
  const requestsPerSecond = r.reviewLatency.length / SECONDS;
  return [
    record(name('review.p50_ms'), percentile(r.reviewLatency, 50), 'ms', { name: name('healthz.p50_ms'), value: percentile(r.healthLatency, 50) }),
    record(name('review.p99_ms'), percentile(r.reviewLatency, 99), 'ms', { name: name('healthz.p99_ms'), value: percentile(r.healthLatency, 99) }),
    record(name('review.requests_per_s'), Number(requestsPerSecond.toFixed(1)), 'req/s', against && { name: against.name, value: against.requestsPerSecond }),
    record(name('review.students'), STUDENTS, `students${config === 'postgres2' ? ' (i on process i % 2)' : ''}`),
    record(name('review.acknowledged'), r.acknowledged, 'reviews', { name: name('review.stored'), value: r.stored }),
    record(name('review.missing'), r.missing, 'acknowledged reviews not stored (must be 0)'),
    record(name('review.duplicates'), r.duplicates, 'client review ids stored twice (must be 0)'),
    record(name('review.server_errors'), r.serverErrors, 'responses (must be 0)'),
    record(name('review.other_failures'), r.otherFailures, 'responses'),
    // Cores in use during the load (the machine's, shared with PostgreSQL): what limits requests/s.
    record(name('cpu.stride_cores'), Number((r.cpu.servers / SECONDS).toFixed(2)), `cores (the ${config === 'postgres2' ? 'two Stride processes' : 'Stride process'})`),
    record(name('cpu.client_cores'), Number((r.cpu.client / SECONDS).toFixed(2)), 'cores (the simulated students: this process)'),
  ];
}

/** Which configurations this run measures: BENCH_HTTP_CONFIGS, else all three. */
function chosenConfigs(): Config[] {
  const asked = (process.env.BENCH_HTTP_CONFIGS ?? CONFIGS.join(',')).split(',').map((s) => s.trim());
  const unknown = asked.filter((c) => !(CONFIGS as readonly string[]).includes(c));
  if (unknown.length > 0) throw new Error(`BENCH_HTTP_CONFIGS: unknown configuration ${unknown.join(', ')}; known: ${CONFIGS.join(', ')}`);
  return asked as Config[];
}

export const httpBenchmark: Benchmark = {
  name: 'http.review_load',
  async run(): Promise<BenchRecord[]> {
    const records: BenchRecord[] = [];
    // Each PostgreSQL figure's requests/s beside the one before it: one process beside SQLite, two beside one.
    let previous: { name: string; requestsPerSecond: number } | null = null;
    for (const config of chosenConfigs()) {
      process.stderr.write(`  http.review_load: ${config}, ${STUDENTS} students for ${SECONDS} s…\n`);
      const { servers, database, stop } = await startConfig(config);
      let result: LoadResult;
      try {
        result = await reviewLoad(servers, database);
      } finally {
        await stop();
      }
      records.push(...recordsOf(config, result, previous));
      previous = { name: `http.${config}.review.requests_per_s`, requestsPerSecond: Number((result.reviewLatency.length / SECONDS).toFixed(1)) };
    }
    return records;
  },
};
