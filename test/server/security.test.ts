/**
 * Security and robustness on the real server (server.js on a fresh SQLite file), over plain HTTP:
 * open redirects, body caps (with the server's memory measured), cross-site writes, the headers
 * of every response, the favicon and quiet 404s, accounts made by the CLI, and — last, since it
 * spends this address's attempts — the login limiter.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LOGIN_LIMIT } from '../../app/models/login-limit.server';
import { addAccount, logIn } from '../support/accounts';
import { OFF_SITE_TARGETS } from '../support/off-site-targets';
import { repoRoot, startServer, type TestServer } from '../support/server';

let server: TestServer;
let db: Database.Database;
const ada = { email: 'ada@example.test', password: 'correct horse battery', role: 'student' as const };

let dir: string;

beforeAll(async () => {
  // Our own folder, so the server can be restarted on the same file (the limiter test).
  dir = mkdtempSync(path.join(tmpdir(), 'stride-security-'));
  server = await startServer({ databasePath: path.join(dir, 'stride.db') });
  db = new Database(server.databasePath, { readonly: true });
  await addAccount(server, ada);
});

afterAll(async () => {
  db?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The server process's resident memory, in MB (Linux). */
function serverRssMb(): number {
  const status = readFileSync(`/proc/${server.process.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/**
 * POSTs `bytes` of zeros to `pathname`, declared (Content-Length) or chunked; resolves with the
 * status as soon as the server answers (it may stop reading and close before the body is sent).
 */
function postBytes(pathname: string, bytes: number, { declared }: { declared: boolean }): Promise<{ status: number; ms: number; body: string }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'Content-Type': 'application/x-www-form-urlencoded' };
    if (declared) headers['Content-Length'] = bytes;
    const req = request(new URL(pathname, server.url), { method: 'POST', headers });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, body }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, body }));
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const chunk = Buffer.alloc(1024 * 1024);
    let sent = 0;
    const write = () => {
      while (sent < bytes && !answered) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', write);
      }
      if (!answered) req.end();
    };
    write();
  });
}

function noStackIn(output: string): void {
  expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(output).not.toMatch(/Error: /);
}

describe('open redirects', () => {
  test(`logging in with any of ${OFF_SITE_TARGETS.length} off-site redirectTo values lands on this site`, async () => {
    const refused: string[] = [];
    for (const redirectTo of [...OFF_SITE_TARGETS]) {
      const res = await fetch(`${server.url}/login`, { method: 'POST', body: new URLSearchParams({ email: ada.email, password: ada.password, redirectTo }), redirect: 'manual' });
      expect(res.status, `redirectTo=${JSON.stringify(redirectTo)}`).toBe(302);
      const location = res.headers.get('location')!;
      // Where a browser goes from the login page:
      expect(new URL(location, `${server.url}/login`).origin, `redirectTo=${JSON.stringify(redirectTo)} → ${location}`).toBe(server.url);
      if (location === '/') refused.push(redirectTo);
    }
    expect(refused).toHaveLength(OFF_SITE_TARGETS.length);
    console.info(`open redirect: ${refused.length} of ${OFF_SITE_TARGETS.length} off-site targets refused through POST /login`);
  });

  test('a same-site redirectTo is kept', async () => {
    const res = await fetch(`${server.url}/login`, { method: 'POST', body: new URLSearchParams({ email: ada.email, password: ada.password, redirectTo: '/review?x=1' }), redirect: 'manual' });
    expect(res.headers.get('location')).toBe('/review?x=1');
  });
});

describe('request bodies', () => {
  test('a 50 MB and a 300 MB POST to /login get 413 at once, and the server does not grow', async () => {
    const before = serverRssMb();
    const declared = await postBytes('/login', 50 * 1024 * 1024, { declared: true });
    expect(declared.status).toBe(413);
    expect(declared.body).toBe('The request body is over 256 KB, more than this form can need.');
    const chunked = await postBytes('/login', 300 * 1024 * 1024, { declared: false });
    expect(chunked.status).toBe(413);
    const after = serverRssMb();
    console.info(`body cap: RSS ${before.toFixed(0)} MB before, ${after.toFixed(0)} MB after a 50 MB (413 in ${declared.ms.toFixed(0)} ms) and a chunked 300 MB POST (413 in ${chunked.ms.toFixed(0)} ms)`);
    expect(declared.ms).toBeLessThan(2000);
    expect(after - before).toBeLessThan(30);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  test('every route is capped, the bank routes at 4 MB', async () => {
    for (const pathname of ['/signup', '/review', '/quiz', '/logout', '/classes', '/nowhere']) expect((await postBytes(pathname, 300 * 1024, { declared: true })).status, pathname).toBe(413);
    // A 1 MB form to the bank import is under its cap: it reaches the route (which sends a visitor to log in).
    expect((await postBytes('/banks/import', 1024 * 1024, { declared: true })).status).toBe(302);
    expect((await postBytes('/banks/import', 5 * 1024 * 1024, { declared: true })).status).toBe(413);
  });
});

describe('cross-site writes', () => {
  test('a POST from another origin is a 403 with a short message, and nothing in the log but its line', async () => {
    const form = new URLSearchParams({ email: 'mallory@example.test', displayName: 'M', password: 'long enough password' });
    const logBefore = server.output().length;
    for (const pathname of ['/signup', '/signup.data', '/login', '/login.data', '/logout', '/review', '/banks/import', '/nowhere']) {
      const refused: Record<string, string>[] = [{ Origin: 'https://evil.example' }, { Origin: 'null' }, { 'Sec-Fetch-Site': 'cross-site' }, { Origin: server.url, 'Sec-Fetch-Site': 'same-site' }];
      for (const headers of refused) {
        const res = await fetch(server.url + pathname, { method: 'POST', body: form, headers, redirect: 'manual' });
        expect(res.status, `${pathname} ${JSON.stringify(headers)}`).toBe(403);
        expect(await res.text()).toBe('Cross-site form posts are refused: send this form from the Stride page it belongs to.');
        expect(res.headers.get('set-cookie')).toBeNull();
      }
    }
    expect(db.prepare("select count(*) as n from users where email = 'mallory@example.test'").get()).toEqual({ n: 0 });
    noStackIn(server.output().slice(logBefore));
  });

  test('a same-origin POST passes', async () => {
    const res = await fetch(`${server.url}/login`, { method: 'POST', body: new URLSearchParams({ email: ada.email, password: ada.password }), headers: { Origin: server.url, 'Sec-Fetch-Site': 'same-origin' }, redirect: 'manual' });
    expect(res.status).toBe(302);
  });
});

describe('headers', () => {
  const EVERY_RESPONSE = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
  };

  test('every response carries the security headers: pages, assets, /healthz, the favicon, 404s, 413s, 403s', async () => {
    const page = await fetch(`${server.url}/login`);
    const html = await page.text();
    const asset = /<script[^>]* src="(\/build\/[^"]+)"/.exec(html)?.[1] ?? /href="(\/build\/[^"]+\.css)"/.exec(html)![1]!;
    const responses = {
      page,
      asset: await fetch(server.url + asset),
      healthz: await fetch(`${server.url}/healthz`),
      favicon: await fetch(`${server.url}/favicon.ico`),
      notFound: await fetch(`${server.url}/no/such/page`),
      missingAsset: await fetch(`${server.url}/build/nope.js`),
      tooLarge: await fetch(`${server.url}/login`, { method: 'POST', body: 'x'.repeat(300 * 1024) }),
      crossSite: await fetch(`${server.url}/login`, { method: 'POST', body: 'a=b', headers: { Origin: 'https://evil.example' } }),
    };
    expect(Object.fromEntries(Object.entries(responses).map(([k, r]) => [k, r.status]))).toEqual({ page: 200, asset: 200, healthz: 200, favicon: 200, notFound: 404, missingAsset: 404, tooLarge: 413, crossSite: 403 });
    for (const [name, res] of Object.entries(responses)) {
      for (const [header, value] of Object.entries(EVERY_RESPONSE)) expect(res.headers.get(header), `${name}: ${header}`).toBe(value);
      expect(res.headers.get('content-security-policy'), name).toContain("frame-ancestors 'none'");
    }
    expect(responses.favicon.headers.get('content-type')).toBe('image/x-icon');
    expect(Buffer.from(await responses.favicon.arrayBuffer()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
  });

  test('an HTML page has a CSP with a fresh nonce, and every inline script carries it', async () => {
    const [a, b] = [await fetch(`${server.url}/signup`), await fetch(`${server.url}/signup`)];
    const nonceOf = (res: Response) => /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1];
    const nonce = nonceOf(a)!;
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nonceOf(b)).not.toBe(nonce);
    expect(a.headers.get('content-security-policy')).not.toMatch(/'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
    const html = await a.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(2);
    for (const attrs of scripts) if (!/\bsrc=/.test(attrs)) expect(attrs).toContain(`nonce="${nonce}"`);
  });

  test('a missing page or favicon is a 404 page, not a stack trace in the log', async () => {
    const logBefore = server.output().length;
    for (const p of ['/no/such/page', '/wp-login.php', '/build/nope.js', '/explore/nope']) expect((await fetch(server.url + p)).status, p).toBe(404);
    expect((await fetch(`${server.url}/favicon.ico`)).status).toBe(200);
    noStackIn(server.output().slice(logBefore));
  });
});

describe('accounts', () => {
  test('role=instructor in a sign-up makes a student', async () => {
    const form = new URLSearchParams({ email: 'eve@example.test', displayName: 'Eve', password: 'long enough password', role: 'instructor', timeZone: 'UTC' });
    const res = await fetch(`${server.url}/signup`, { method: 'POST', body: form, redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(db.prepare("select role from users where email = 'eve@example.test'").get()).toEqual({ role: 'student' });
    expect(await (await fetch(`${server.url}/signup`)).text()).not.toContain('name="role"');
  });

  test('signing up with a taken email does not say it is taken', async () => {
    const res = await fetch(`${server.url}/signup`, { method: 'POST', body: new URLSearchParams({ email: ada.email, displayName: 'Not Ada', password: 'another long password' }), redirect: 'manual' });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('We could not sign you up with that email and password. If you already have an account, log in instead.');
    expect(body).not.toMatch(/already exists|taken/);
  });

  test('stride user add/role: an instructor with a password from stdin, a student with a one-time link; bad input exits 2', async () => {
    const ines = await stride(['user', 'add', 'Ines@Example.test', '--role', 'instructor', '--name', 'Ines', '--password-stdin', '--json'], 'ines has a long password\n');
    expect(ines.code).toBe(0);
    expect(JSON.parse(ines.stdout)).toEqual({ id: expect.any(Number), email: 'ines@example.test', displayName: 'Ines', role: 'instructor', setPassword: null });
    const cookie = await logIn(server, { email: 'ines@example.test', password: 'ines has a long password' });
    expect((await fetch(`${server.url}/banks/import`, { headers: { Cookie: cookie } })).status).toBe(200); // an instructor's page

    const bo = await stride(['user', 'add', 'bo@example.test', '--role', 'student', '--origin', server.url, '--json']);
    expect(bo.code).toBe(0);
    const link = JSON.parse(bo.stdout).setPassword.url as string;
    expect(link).toMatch(new RegExp(`^${server.url}/set-password\\?token=[A-Za-z0-9_-]{43}$`));
    expect(await (await fetch(link)).text()).toContain('For bo@example.test.');
    const token = new URL(link).searchParams.get('token')!;
    const set = await fetch(`${server.url}/set-password`, { method: 'POST', body: new URLSearchParams({ token, password: 'bo chose this password' }), redirect: 'manual' });
    expect(set.status).toBe(302);
    expect(set.headers.get('set-cookie')).toContain('stride_session=');
    await logIn(server, { email: 'bo@example.test', password: 'bo chose this password' });
    const again = await fetch(`${server.url}/set-password`, { method: 'POST', body: new URLSearchParams({ token, password: 'mallory reuses it now' }), redirect: 'manual' });
    expect(again.status).toBe(400);

    const promoted = await stride(['user', 'role', 'bo@example.test', 'instructor', '--json']);
    expect(JSON.parse(promoted.stdout)).toMatchObject({ email: 'bo@example.test', role: 'instructor' });

    const bad = [
      await stride(['user', 'role', 'nobody@example.test', 'instructor']),
      await stride(['user', 'role', 'bo@example.test', 'admin']),
      await stride(['user', 'add', 'x@example.test', '--role', 'teacher']),
      await stride(['user', 'add', 'ines@example.test', '--role', 'student']),
      await stride(['user', 'add', 'y@example.test', '--role', 'student', '--password-stdin'], 'password123\n'),
      await stride(['user', 'add', 'not-an-email', '--role', 'student']),
      await stride(['user', 'add', 'z@example.test', '--role', 'student', '--origin', 'ftp://x']),
    ];
    expect(bad.map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 2, 2]);
    expect(bad.map((r) => r.stderr.trim())).toEqual([
      'stride: no account with nobody@example.test',
      "stride: unknown role 'admin': give one of student, instructor",
      "stride: unknown role 'teacher': give one of student, instructor",
      'stride: an account with ines@example.test already exists; change its role with: stride user role <email> <role>',
      'stride: password on stdin: that password is among the most common ones; choose another',
      'stride: email: not an email address',
      "stride: --origin must be an http(s) URL, got 'ftp://x'",
    ]);
    expect(db.prepare("select count(*) as n from users where email in ('x@example.test', 'y@example.test', 'z@example.test', 'not-an-email')").get()).toEqual({ n: 0 });
  });

  test('an instructor invites a colleague; signing up through the link makes an instructor, once', async () => {
    const cookie = await logIn(server, { email: 'ines@example.test', password: 'ines has a long password' });
    const issued = await fetch(`${server.url}/invitations`, { method: 'POST', headers: { Cookie: cookie }, redirect: 'manual' });
    const link = /data-invitation="[^"]*">([^<]+)</.exec(await issued.text())?.[1] ?? '';
    const token = new URL(link.replace(/&amp;/g, '&')).searchParams.get('invitation')!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const signup = (email: string) =>
      fetch(`${server.url}/signup`, { method: 'POST', body: new URLSearchParams({ email, displayName: email, password: 'long enough password', invitation: token }), redirect: 'manual' });
    expect((await signup('olga@example.test')).status).toBe(302);
    expect(db.prepare("select role from users where email = 'olga@example.test'").get()).toEqual({ role: 'instructor' });
    expect((await signup('pat@example.test')).status).toBe(400);
    // A student cannot issue invitations.
    const student = await logIn(server, ada);
    expect((await fetch(`${server.url}/invitations`, { method: 'POST', headers: { Cookie: student } })).status).toBe(403);
  });
});

// Last: it spends this address's failed attempts.
describe('the login limiter', () => {
  test(`${LOGIN_LIMIT.failures} failed logins, then 429 with Retry-After, even with the right password; it survives a restart`, async () => {
    // The refused sign-ups above count against this address too.
    const address = "select count(*) as n from login_failures where key = 'address:127.0.0.1'";
    const prior = (db.prepare(address).get() as { n: number }).n;
    expect(prior).toBe(2);
    const statuses: number[] = [];
    for (let i = prior; i < LOGIN_LIMIT.failures; i++) {
      const res = await fetch(`${server.url}/login`, { method: 'POST', body: new URLSearchParams({ email: ada.email, password: `wrong password ${i}` }), redirect: 'manual' });
      statuses.push(res.status);
    }
    expect(statuses).toEqual(Array(LOGIN_LIMIT.failures - prior).fill(400));
    expect(db.prepare(address).get()).toEqual({ n: LOGIN_LIMIT.failures });
    const refused = await fetch(`${server.url}/login`, { method: 'POST', body: new URLSearchParams({ email: ada.email, password: ada.password }), redirect: 'manual' });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(LOGIN_LIMIT.windowMs / 1000 - 60);
    expect(retryAfter).toBeLessThanOrEqual(LOGIN_LIMIT.windowMs / 1000);
    expect(await refused.text()).toContain('Too many failed attempts. Try again in 15 minutes.');
    console.info(`login limiter: ${LOGIN_LIMIT.failures} failures from this address (${statuses.length} logins, ${prior} sign-ups) answered 400, then 429 with Retry-After: ${retryAfter}`);
    // Another account from this address is refused too (the per-address count).
    const other = await fetch(`${server.url}/login`, { method: 'POST', body: new URLSearchParams({ email: 'eve@example.test', password: 'long enough password' }), redirect: 'manual' });
    expect(other.status).toBe(429);
    // And a restarted server still counts them: the state is in the database.
    await server.stop();
    server = await startServer({ databasePath: server.databasePath });
    const afterRestart = await fetch(`${server.url}/login`, { method: 'POST', body: new URLSearchParams({ email: ada.email, password: ada.password }), redirect: 'manual' });
    expect(afterRestart.status).toBe(429);
  });
});

/** `stride …` with DATABASE_PATH at the test server's file, as an administrator would run it. */
function stride(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), path.join(repoRoot, 'bin/stride.ts'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_PATH: server.databasePath },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end(stdin);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
