/**
 * Instructors on a real server (fresh SQLite file) and in Chromium: the role check on every
 * authoring route, hostile banks refused with nothing written while the server keeps serving,
 * and the whole path from a generated item written in the editor to a student's answer in the
 * class analytics.
 */
import { request } from 'node:http';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser, type Browser } from '../support/browser';
import { addAccount, logIn } from '../support/accounts';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let db: Database.Database;
const browsers: Browser[] = [];

beforeAll(async () => {
  server = await startServer();
  db = new Database(server.databasePath, { readonly: true });
});

afterAll(async () => {
  db?.close();
  for (const b of browsers) await b.close();
  await server?.stop();
});

let emails = 0;
/** A student signs up through /signup (the form's own fields); an instructor is added as an administrator would. Returns the session cookie. */
async function signUp(role: 'student' | 'instructor'): Promise<string> {
  const email = `${role}${++emails}@example.test`;
  if (role === 'instructor') return logIn(server, await addAccount(server, { email, role }));
  const form = new URLSearchParams({ email, displayName: `${role} ${emails}`, password: 'long enough password', timeZone: 'UTC', redirectTo: '/' });
  const res = await fetch(`${server.url}/signup`, { method: 'POST', body: form, redirect: 'manual' });
  expect(res.status).toBe(302);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

function send(cookie: string, path: string, form?: Record<string, string>): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: form ? 'POST' : 'GET',
    headers: { Cookie: cookie },
    redirect: 'manual',
    ...(form && { body: new URLSearchParams(form) }),
  });
}

/**
 * POSTs `bytes` of form body in chunks with no Content-Length; resolves with the status the
 * server answers, which may come (and close the connection) before the body is all sent.
 */
function chunkedPostStatus(path: string, cookie: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, server.url);
    const req = request(url, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', 'Transfer-Encoding': 'chunked' } });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const chunk = Buffer.from('x'.repeat(64 * 1024));
    let sent = 0;
    const pump = () => {
      while (!answered && sent < bytes) {
        sent += chunk.length;
        if (!req.write(sent === chunk.length ? Buffer.concat([Buffer.from('yaml='), chunk]) : chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

function counts() {
  const n = (table: string) => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  return { banks: n('banks'), versions: n('bank_versions'), items: n('items'), classBanks: n('class_banks') };
}

async function healthy(): Promise<number> {
  return (await fetch(`${server.url}/healthz`)).status;
}

const bankYaml = (id: string, items: string) => `id: ${id}\ntitle: ${id}\ndescription: A bank.\nversion: "1.0.0"\nitems:\n${items}`;
const FACT = `  - id: fact\n    kind: basic\n    topic: vgg\n    tags: []\n    front: VGG16 depth?\n    back: "16"\n`;

test('every instructor loader and action answers 403 to a student (GET and POST), and to another instructor for someone else’s bank or class', async () => {
  const teacher = await signUp('instructor');
  const created = await send(teacher, '/banks', { id: 'perm-bank', title: 'Permissions' });
  expect(created.status).toBe(302);
  expect(created.headers.get('location')).toBe('/banks/perm-bank/edit');
  const cls = await send(teacher, '/classes', { intent: 'create', name: 'Perm class' });
  expect(cls.status).toBe(302);
  const classPath = cls.headers.get('location')!;
  expect(classPath).toMatch(/^\/classes\/\d+$/);
  // The teacher's own pages answer.
  for (const path of ['/banks/perm-bank/edit', '/banks/perm-bank/export', '/banks/perm-bank/anki', '/banks/import', classPath]) {
    expect([path, (await send(teacher, path)).status]).toEqual([path, 200]);
  }

  const student = await signUp('student');
  const before = counts();
  const gets = ['/banks/perm-bank/edit', '/banks/perm-bank/export', '/banks/perm-bank/anki', '/banks/import', classPath];
  for (const path of gets) expect([path, (await send(student, path)).status]).toEqual([path, 403]);
  const posts: [string, Record<string, string>][] = [
    ['/banks', { id: 'student-bank', title: 'Nope' }],
    ['/banks/import', { yaml: bankYaml('student-bank', FACT) }],
    ['/banks/perm-bank/edit', { intent: 'save', yaml: bankYaml('perm-bank', FACT) }],
    ['/banks/perm-bank/edit', { intent: 'publish' }],
    ['/banks/perm-bank/edit', { intent: 'preview', yaml: bankYaml('perm-bank', FACT) }],
    ['/classes', { intent: 'create', name: 'Student class' }],
    [classPath, { intent: 'publish', bankId: 'perm-bank' }],
  ];
  for (const [path, form] of posts) expect([path, form.intent ?? '', (await send(student, path, form)).status]).toEqual([path, form.intent ?? '', 403]);
  expect(counts()).toEqual(before);
  // A student still sees /banks (the banks they study) and /classes (to join one).
  expect((await send(student, '/banks')).status).toBe(200);
  expect((await send(student, '/classes')).status).toBe(200);

  const rival = await signUp('instructor');
  for (const path of ['/banks/perm-bank/edit', '/banks/perm-bank/export', '/banks/perm-bank/anki', classPath]) expect([path, (await send(rival, path)).status]).toEqual([path, 403]);
  expect((await send(rival, '/banks/perm-bank/edit', { intent: 'save', yaml: bankYaml('perm-bank', FACT) })).status).toBe(403);
  expect((await send(rival, '/banks/import', { yaml: bankYaml('perm-bank', FACT) })).status).toBe(403);
  expect(counts()).toEqual(before);
});

test('hostile banks are refused with a clear error, nothing is written, and the server keeps serving; bodies over the cap get 413', async () => {
  const teacher = await signUp('instructor');
  expect((await send(teacher, '/banks', { id: 'target', title: 'Target' })).status).toBe(302);
  const conv = (filters: string) =>
    `  - id: conv\n    kind: generated\n    topic: conv-arithmetic\n    tags: []\n    title: Conv\n    family: conv-output-size\n    difficulty: 1\n    ranges: { filters: ${filters} }\n`;
  const cases: [string, string, RegExp][] = [
    ['malformed', 'id: broken\ntitle: [unclosed\nitems:\n  - id: x', /end with a ]/],
    ['proto', bankYaml('proto', FACT.replace('front:', '__proto__: { polluted: true }\n    front:')), /key &#x27;__proto__&#x27; is not allowed|key '__proto__' is not allowed/],
    ['10⁹ channels', bankYaml('explode', conv('1000000000')), /≤ 8192/],
    ['3 MB string', bankYaml('huge', FACT).replace('A bank.', 'x'.repeat(3 * 1024 * 1024)), /limit is 2,097,152 bytes/],
  ];
  for (const [name, yaml, message] of cases) {
    const before = counts();
    for (const [path, form] of [
      ['/banks/import', { yaml }],
      ['/banks/target/edit', { intent: 'save', yaml }],
    ] as const) {
      const res = await send(teacher, path, form);
      expect([name, path, res.status]).toEqual([name, path, 400]);
      expect(await res.text()).toMatch(message);
      expect(counts()).toEqual(before);
      expect(await healthy()).toBe(200);
    }
  }

  // 10 MB: refused from its Content-Length before the body is read…
  const before = counts();
  const big = await send(teacher, '/banks/import', { yaml: bankYaml('huge', FACT).replace('A bank.', 'x'.repeat(10 * 1024 * 1024)) });
  expect(big.status).toBe(413);
  expect(await big.text()).toMatch(/over 4 MB/);
  // …and without one (chunked), after reading no more than the cap.
  expect(await chunkedPostStatus('/banks/import', teacher, 10 * 1024 * 1024)).toBe(413);
  expect(counts()).toEqual(before);
  expect(await healthy()).toBe(200);
});

test('an instructor writes a generated item, previews it (WebGL check), publishes it to a class; a student gets it in review; the answer shows in the analytics', async () => {
  const teacherBrowser = await launchBrowser();
  browsers.push(teacherBrowser);
  const page = await teacherBrowser.context.newPage();
  await addAccount(server, { email: 'ines@example.test', displayName: 'Ines', role: 'instructor' });
  await page.goto(`${server.url}/login`);
  await page.fill('input[name=email]', 'ines@example.test');
  await page.fill('input[name=password]', 'long enough password');
  await page.click('button[type=submit]:has-text("Log in")');
  await page.waitForURL(`${server.url}/`);

  // A new bank; its id sorts before the content bank's, so its item is the student's first new card.
  await page.goto(`${server.url}/banks`);
  await page.fill('#new-bank-id', 'a-arch-drills');
  await page.fill('#new-bank-title-input', 'Architecture drills');
  await page.click('button:has-text("Create bank")');
  await page.waitForURL(`${server.url}/banks/a-arch-drills/edit`);

  const itemId = 'same-conv-drill';
  await page.fill(
    '#bank-yaml',
    bankYaml(
      'a-arch-drills',
      `  - id: ${itemId}
    kind: generated
    topic: conv-arithmetic
    tags: []
    title: Same-padding 5×5 conv output volume
    family: conv-output-size
    difficulty: 1
    ranges: { size: 28, channels: 3, filters: 8, kernel: 5, stride: 1, padding: 2, dilation: 1, square: 1 }
`,
    ),
  );
  // The live preview: five samples, each (28 + 2·2 − 5)/1 + 1 = 28 → 28×28×8 by the engine; one
  // built on WebGL on request (a small network: SwiftShader runs WebGL on the CPU).
  const preview = page.locator(`.preview-item[data-item="${itemId}"]`);
  await preview.waitFor({ timeout: 30_000 });
  expect(await preview.getAttribute('data-flagged')).toBe('false');
  await expect.poll(() => preview.getByTestId('sample-answer').allTextContents()).toEqual(Array(5).fill('28×28×8'));
  await preview.locator('button:has-text("Check on WebGL")').first().click();
  const panel = preview.getByTestId('engine-panel');
  // Loading tfjs and compiling shaders on SwiftShader is slow on a busy two-core machine.
  await expect.poll(() => panel.getAttribute('data-backend'), { timeout: 150_000 }).toBe('webgl');
  await expect.poll(() => panel.getAttribute('data-ok'), { timeout: 30_000 }).toBe('true');

  await page.click('button:has-text("Save draft")');
  await expect.poll(() => page.getByTestId('save-result').textContent()).toBe('Saved as version 2.');
  await page.click('button:has-text("Publish")');
  await expect.poll(() => page.getByTestId('bank-status').textContent()).toBe('published');

  await page.goto(`${server.url}/classes`);
  await page.fill('#class-name', 'CNN architectures');
  await page.click('button:has-text("Create class")');
  await page.waitForURL(/\/classes\/\d+$/);
  const classUrl = page.url();
  const joinCode = (await page.getByTestId('join-code').textContent())!.trim();
  expect(joinCode).toMatch(/^[A-Z2-9]{8}$/);
  await page.selectOption('#publish-bank', 'a-arch-drills');
  await page.click('button:has-text("Publish to class")');
  await expect.poll(() => page.getByTestId('class-banks').textContent()).toContain('a-arch-drills');

  // The student, in a browser of their own.
  const studentBrowser = await launchBrowser();
  browsers.push(studentBrowser);
  const student = await studentBrowser.context.newPage();
  await student.goto(`${server.url}/signup`);
  await student.fill('input[name=email]', 'sam@example.test');
  await student.fill('input[name=displayName]', 'Sam');
  await student.fill('input[name=password]', 'long enough password');
  await student.click('button[type=submit]:has-text("Sign up")');
  await student.waitForURL(`${server.url}/`);
  await student.goto(`${server.url}/classes`);
  await student.fill('#join-code', joinCode.toLowerCase());
  await student.click('button:has-text("Join")');
  await expect.poll(() => student.getByTestId('joined-classes').textContent()).toContain('CNN architectures');

  await student.goto(`${server.url}/review`);
  const card = student.locator('article.card');
  await card.waitFor();
  expect(await card.getAttribute('data-item')).toBe(`a-arch-drills/${itemId}`);
  await student.fill('#answer-input', '28x28x8');
  await student.press('#answer-input', 'Enter');
  await expect.poll(() => student.locator('.result').first().getAttribute('class')).toContain('right');

  await page.goto(classUrl);
  const row = page.locator(`tr[data-item="a-arch-drills/${itemId}"]`);
  await expect.poll(() => row.getByTestId('attempts').textContent()).toBe('1');
  expect(await row.getByTestId('accuracy').textContent()).toBe('100%');
  expect(await page.getByTestId('members').textContent()).toContain('Sam');
}, 300_000);
