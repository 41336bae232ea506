/**
 * `user add` / `user role`: the accounts an administrator makes (nobody makes themselves an
 * instructor). DATABASE_URL or DATABASE_PATH selects the database, as for the server.
 */
import { z } from 'zod';
import { openDatabase } from '../../db/client';
import { userRoles, type UserRole } from '../../db/schema';
import { databaseTargetOf, parseEnv } from '../../app/env.server';
import { issueSetPasswordToken, setPasswordPath } from '../../app/models/account-token.server';
import { createAccount, PasswordSchema, setUserRole, USER_ERRORS, type PublicUser } from '../../app/models/user.server';
import { UsageError, type Command, type ParsedArgs } from '../cli';

const USAGE = 'user add <email> --role instructor|student [--name N] [--password-stdin] [--origin URL] | user role <email> <role>';

function roleOf(raw: string | true | undefined): UserRole {
  if (typeof raw !== 'string') throw new UsageError(`missing role: give one of ${userRoles.join(', ')}; usage: stride ${USAGE}`);
  if (!(userRoles as readonly string[]).includes(raw)) throw new UsageError(`unknown role '${raw}': give one of ${userRoles.join(', ')}`);
  return raw as UserRole;
}

/** The database the server would open (DATABASE_URL or DATABASE_PATH), for the commands that read it. */
export async function openAppDatabase() {
  let settings;
  try {
    settings = parseEnv();
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  return { database: await openDatabase(databaseTargetOf(settings), { poolSize: 1 }), settings };
}

/** All of stdin, less one trailing newline (what `echo`/`printf '%s\n'` add). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function describe(u: PublicUser) {
  return { id: u.id, email: u.email, displayName: u.displayName, role: u.role };
}

async function add(args: ParsedArgs, email: string) {
  const role = roleOf(args.flags.role);
  const name = args.flags.name;
  if (name === true) throw new UsageError('--name needs a value');
  const origin = args.flags.origin;
  if (origin === true) throw new UsageError('--origin needs a URL');
  let password: string | undefined;
  if (args.flags['password-stdin']) {
    const parsed = PasswordSchema.safeParse(await readStdin());
    if (!parsed.success) throw new UsageError(`password on stdin: ${parsed.error.issues[0]!.message}`);
    password = parsed.data;
  }
  const { database, settings } = await openAppDatabase();
  const { db } = database;
  try {
    // Checked before anything is written: a bad --origin leaves no account behind.
    const base = origin ?? `http://localhost:${settings.PORT}`;
    if (!URL.canParse(base) || !/^https?:$/.test(new URL(base).protocol)) throw new UsageError(`--origin must be an http(s) URL, got '${base}'`);
    const now = new Date();
    let user: PublicUser;
    try {
      user = await createAccount({ db, now, email, displayName: name ?? email.split('@')[0] ?? email, password, role });
    } catch (err) {
      if (err instanceof z.ZodError) throw new UsageError(err.issues.map((i) => `${i.path.join('.') || 'account'}: ${i.message}`).join('; '));
      if (err instanceof Error && err.message === USER_ERRORS.emailTaken(email.trim().toLowerCase())) throw new UsageError(`${err.message}; change its role with: stride user role <email> <role>`);
      throw err;
    }
    let setPassword: { url: string; expiresAt: string } | null = null;
    if (password === undefined) {
      const { token, expiresAt } = await issueSetPasswordToken({ db, userId: user.id, now });
      setPassword = { url: new URL(setPasswordPath(token), base).href, expiresAt: expiresAt.toISOString() };
    }
    const json = { ...describe(user), setPassword };
    const text = [
      `Added ${user.email} (${user.displayName}) as ${user.role}.`,
      setPassword ? `One-time link to set the password (until ${setPassword.expiresAt}):\n  ${setPassword.url}` : 'Password set from stdin.',
    ].join('\n');
    return { json, text };
  } finally {
    await database.close();
  }
}

async function role(email: string, raw: string | undefined) {
  const newRole = roleOf(raw);
  const { database } = await openAppDatabase();
  try {
    let user: PublicUser;
    try {
      user = await setUserRole({ db: database.db, email, role: newRole });
    } catch (err) {
      if (err instanceof Error && err.message === USER_ERRORS.unknownEmail(email.trim().toLowerCase())) throw new UsageError(err.message);
      throw err;
    }
    return { json: describe(user), text: `${user.email} is now ${user.role}.` };
  } finally {
    await database.close();
  }
}

export const user: Command = {
  name: 'user',
  summary: 'add an account with a role (instructors are made here), or change a role',
  usage: USAGE,
  flags: ['role=', 'name=', 'password-stdin', 'origin='],
  async run(args) {
    const [sub, email, ...rest] = args.positionals;
    if (sub !== 'add' && sub !== 'role') throw new UsageError(`unknown or missing subcommand${sub ? ` '${sub}'` : ''}; usage: stride ${USAGE}`);
    if (!email) throw new UsageError(`missing <email>; usage: stride ${USAGE}`);
    if (sub === 'add') {
      if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'; usage: stride ${USAGE}`);
      return add(args, email);
    }
    if (rest.length > 1 || args.flags.name !== undefined || args.flags['password-stdin'] || args.flags.origin !== undefined)
      throw new UsageError(`user role takes <email> <role> only; usage: stride ${USAGE}`);
    return role(email, rest[0] ?? (typeof args.flags.role === 'string' ? args.flags.role : undefined));
  },
};
