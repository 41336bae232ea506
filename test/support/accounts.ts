/**
 * Accounts for tests on a real server, made the way an administrator makes them (the model
 * behind `stride user add`: nobody signs up as an instructor), then signed in through POST /login.
 */
import { openDatabase } from '../../db/client';
import type { UserRole } from '../../db/schema';
import { createAccount } from '../../app/models/user.server';
import type { TestServer } from './server';

export interface TestAccount {
  email: string;
  password: string;
  displayName: string;
  role: UserRole;
}

/** Adds an account to the server's database (a second connection to its SQLite file or PostgreSQL database). */
export async function addAccount(server: TestServer, account: Partial<TestAccount> & { email: string; role: UserRole }): Promise<TestAccount> {
  const full: TestAccount = { password: 'long enough password', displayName: account.email.split('@')[0]!, ...account };
  const database = await openDatabase(server.databaseTarget);
  try {
    await createAccount({ db: database.db, now: new Date(), email: full.email, displayName: full.displayName, password: full.password, role: full.role, timeZone: 'UTC' });
  } finally {
    await database.close();
  }
  return full;
}

/** Logs in through the form's POST and returns the session cookie (`name=value`). */
export async function logIn(server: TestServer, account: { email: string; password: string }): Promise<string> {
  const res = await fetch(`${server.url}/login`, { method: 'POST', body: new URLSearchParams({ email: account.email, password: account.password, redirectTo: '/' }), redirect: 'manual' });
  if (res.status !== 302) throw new Error(`logging in as ${account.email} answered ${res.status}: ${await res.text()}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}
