/**
 * Sessions: a random id in a signed, HttpOnly, SameSite=Lax cookie, backed by the sessions
 * table (which keeps only the id's sha256) so logout and expiry are enforced by the server.
 * Cross-site posts are refused before Remix by the HTTP server (app/http-policy.server.ts);
 * `assertSameOrigin` is the second guard in the actions.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createCookie, redirect, type Cookie } from '@remix-run/node';
import { getDatabase, type Database } from '../db/client';
import { env } from './env.server';
import { createSession as insertSession, deleteSession, getSessionUserId } from './models/session.server';
import { appSecret } from './models/secret-token.server';
import { getUserById, type PublicUser } from './models/user.server';
import { crossSiteRefusal } from './http-policy.server';

const SESSION_DAYS = 30;

/** The name of the cookie-signing secret in app_secrets. */
const SESSION_SECRET_NAME = 'session';

/**
 * The cookie-signing secret kept in `database` (app_secrets), made on first use, so that every
 * Stride process on one database signs the same cookies. A SQLite database from before keeps the
 * secret it had in `.session-secret` beside the file, so its sessions survive the upgrade.
 */
export async function sessionSecretOf(database: Database, now = new Date()): Promise<string> {
  const legacyFile = database.dialect === 'sqlite' ? join(dirname(resolve(database.target)), '.session-secret') : undefined;
  const initial = () => (legacyFile && existsSync(legacyFile) ? readFileSync(legacyFile, 'utf8').trim() || undefined : undefined);
  return appSecret({ db: database.db, name: SESSION_SECRET_NAME, now, initial });
}

/** SESSION_SECRET, or the secret the database keeps. */
async function sessionSecret(): Promise<string> {
  return env().SESSION_SECRET ?? sessionSecretOf(getDatabase());
}

let cookie: Promise<Cookie> | undefined;

/** The session cookie, made on first use (its secret may have to be made in the database). */
function sessionCookie(): Promise<Cookie> {
  cookie ??= sessionSecret().then(
    (secret) =>
      createCookie('stride_session', {
        httpOnly: true,
        sameSite: 'lax',
        path: '/',
        // Secure behind HTTPS (COOKIE_SECURE=true); plain-http localhost would drop a Secure cookie.
        secure: env().COOKIE_SECURE,
        maxAge: SESSION_DAYS * 24 * 60 * 60,
        secrets: [secret],
      }),
    (err: unknown) => {
      cookie = undefined; // the database was not reachable: try again on the next request
      throw err;
    },
  );
  return cookie;
}

/** Opens a server-side session for `userId` and returns the Set-Cookie header value. */
export async function createSession(userId: number, now = new Date()): Promise<string> {
  const session = await insertSession({ userId, now, ttlMs: SESSION_DAYS * 86_400_000 });
  return (await sessionCookie()).serialize(session.id);
}

async function sessionIdOf(request: Request): Promise<string | null> {
  const value: unknown = await (await sessionCookie()).parse(request.headers.get('Cookie'));
  return typeof value === 'string' ? value : null;
}

/** The signed-in user, or null. */
export async function getUser(request: Request): Promise<PublicUser | null> {
  const sessionId = await sessionIdOf(request);
  if (!sessionId) return null;
  const userId = await getSessionUserId({ sessionId, now: new Date() });
  return userId === null ? null : getUserById({ userId });
}

/** The signed-in user; a visitor is sent to /login (and back here after). */
export async function requireUser(request: Request): Promise<PublicUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return user;
}

/** An instructor, or 403 for a signed-in student. */
export async function requireInstructor(request: Request): Promise<PublicUser> {
  const user = await requireUser(request);
  if (user.role !== 'instructor') throw new Response('Only instructors may do this.', { status: 403 });
  return user;
}

/** Ends the session server-side and returns the Set-Cookie header that clears the cookie. */
export async function destroySession(request: Request): Promise<string> {
  const id = await sessionIdOf(request);
  if (id) await deleteSession({ sessionId: id });
  return (await sessionCookie()).serialize('', { maxAge: 0 });
}

/**
 * Refuses a state-changing request from another site, by the same rule the HTTP server applies
 * before Remix (crossSiteRefusal): kept in the actions so that `remix dev`, which has no such
 * server, refuses the same requests.
 */
export function assertSameOrigin(request: Request): void {
  const refusal = crossSiteRefusal(request.method, request.headers);
  if (refusal) throw new Response(refusal, { status: 403 });
}

/** Any origin will do: only whether the target leaves it matters. */
const OWN_ORIGIN = 'http://stride.invalid';

/**
 * A path on this site to go to after login; anything that would leave it becomes the fallback.
 * The target is resolved against the site's own origin as a browser would (dot segments, `\`
 * read as `/`, tabs and newlines dropped), and refused unless the result stays on that origin
 * *and* the path we hand back does too when read again: `/..//evil.example` resolves to the path
 * `//evil.example`, which a browser reads as another host. Control characters are refused outright.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || /[\u0000-\u001f\u007f-\u009f\\]/.test(to)) return fallback;
  try {
    const url = new URL(to, OWN_ORIGIN);
    if (url.origin !== OWN_ORIGIN) return fallback;
    const path = url.pathname + url.search + url.hash;
    if (!path.startsWith('/') || path.startsWith('//') || new URL(path, OWN_ORIGIN).origin !== OWN_ORIGIN) return fallback;
    return path;
  } catch {
    return fallback;
  }
}
