/**
 * A legal bank of many generated items (every family in turn, difficulties 1–3, the families'
 * default ranges), as one YAML file the import form takes: the heavy import of issue 12.
 */
import { families } from '../../engine/families';

export function largeBankYaml({ id = 'large-bank', items = 5000 }: { id?: string; items?: number } = {}): string {
  const lines = [`id: ${id}`, `title: Large bank`, `description: ${items} generated items, every family in turn.`, `version: 1.0.0`, `items:`];
  for (let i = 0; i < items; i++) {
    const family = families[i % families.length]!;
    lines.push(`  - id: item-${i}`, `    kind: generated`, `    topic: ${family.topic}`, `    tags: []`, `    title: Question ${i}`, `    family: ${family.id}`, `    difficulty: ${1 + (i % 3)}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * An instructor's session cookie on a running server: a sign-up, then the role set in the
 * database (instructors are made by an administrator, not by a form).
 */
export async function instructorCookie(server: { url: string; databasePath: string }, email = 'heavy@example.org'): Promise<string> {
  const form = new URLSearchParams({ email, displayName: 'Heavy Importer', password: 'a-long-bench-password-42', role: 'student' });
  const res = await fetch(server.url + '/signup', { method: 'POST', body: form, redirect: 'manual', headers: { Origin: server.url } });
  if (res.status !== 302) throw new Error(`sign-up answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(server.databasePath);
  db.prepare("update users set role = 'instructor' where email = ?").run(email);
  db.close();
  return cookie;
}

/** POSTs a bank file to /banks/import as the upload form does; the response (a redirect to its editor when it is saved). */
export async function importBank(server: { url: string }, cookie: string, yaml: string): Promise<Response> {
  const body = new FormData();
  body.set('file', new Blob([yaml], { type: 'application/yaml' }), 'bank.yaml');
  return fetch(server.url + '/banks/import', { method: 'POST', body, redirect: 'manual', headers: { Cookie: cookie, Origin: server.url } });
}
