/**
 * http.healthz_during_import: /healthz latency on the built server while one instructor imports
 * a legal bank of 5,000 generated items and opens its editor (the heavy import of issue 12),
 * beside /healthz on the same server idle, in the same run. /healthz is probed on a fixed
 * schedule (every PROBE_EVERY_MS, not waiting for the previous answer), so a frozen server shows
 * in every probe sent during the freeze, not in one. The import runs in the bank-jobs worker
 * (docs/decisions/0016-heavy-bank-work.md).
 */
import { startServer } from '../support/server';
import { percentile, record, type Benchmark, type BenchRecord } from './harness';
import { importBank, instructorCookie, largeBankYaml } from './large-bank';

const ITEMS = 5000;
const IDLE_PROBES = 300;
const PROBE_EVERY_MS = 10;

async function probe(url: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url + '/healthz');
  await res.text();
  if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`);
  return performance.now() - t0;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Probes sent every PROBE_EVERY_MS while `going()`; their latencies. */
async function probeWhile(url: string, going: () => boolean): Promise<number[]> {
  const sent: Promise<number>[] = [];
  while (going()) {
    sent.push(probe(url));
    await pause(PROBE_EVERY_MS);
  }
  return Promise.all(sent);
}

export const importBenchmark: Benchmark = {
  name: 'http.healthz_during_import',
  async run(): Promise<BenchRecord[]> {
    const server = await startServer();
    try {
      const cookie = await instructorCookie(server);
      const yaml = largeBankYaml({ id: 'bench-large', items: ITEMS });
      // Warm the server and its worker on a small bank first, as a running server would be.
      await importBank(server, cookie, largeBankYaml({ id: 'bench-warm', items: 10 }));
      let n = 0;
      const idle = await probeWhile(server.url, () => n++ < IDLE_PROBES);
      let importing = true;
      let importMs = 0;
      let pageMs = 0;
      let pageBytes = 0;
      const heavy = (async () => {
        try {
          const t0 = performance.now();
          const res = await importBank(server, cookie, yaml);
          importMs = performance.now() - t0;
          if (res.status !== 302) throw new Error(`the import answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
          const t1 = performance.now();
          const page = await fetch(server.url + (res.headers.get('location') ?? ''), { headers: { Cookie: cookie } });
          pageBytes = (await page.text()).length;
          pageMs = performance.now() - t1;
          if (page.status !== 200) throw new Error(`the editor answered ${page.status}`);
        } finally {
          importing = false;
        }
      })();
      const during = await probeWhile(server.url, () => importing);
      await heavy;
      return [
        record('http.healthz_during_import.p99_ms', percentile(during, 99), 'ms', { name: 'http.healthz_idle.p99_ms', value: percentile(idle, 99) }),
        record('http.healthz_during_import.p50_ms', percentile(during, 50), 'ms', { name: 'http.healthz_idle.p50_ms', value: percentile(idle, 50) }),
        record('http.healthz_during_import.max_ms', Math.max(...during), 'ms', { name: 'http.healthz_idle.max_ms', value: Math.max(...idle) }),
        record('http.healthz_during_import.probes', during.length, 'requests', null),
        record('http.import.request_ms', importMs, `ms (${ITEMS.toLocaleString('en-US')} generated items)`, null),
        record('http.import.editor_page_ms', pageMs, 'ms', null),
        record('http.import.editor_page_bytes', pageBytes, 'bytes', null),
      ];
    } finally {
      await server.stop();
    }
  },
};
