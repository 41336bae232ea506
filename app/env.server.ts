/** The environment, parsed once with zod: a bad value stops start-up with a message naming it. */
import { z } from 'zod';

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** The address to listen on (all interfaces when unset). */
  HOST: z.string().min(1).optional(),
  /** The embedded SQLite file, used unless DATABASE_URL is set. */
  DATABASE_PATH: z.string().min(1).default('data/stride.db'),
  /** A PostgreSQL server instead of the SQLite file: postgres://user:password@host:port/database. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/[^\s]*\/[^/\s?]+(\?\S*)?$/, 'must be a PostgreSQL URL, postgres://user:password@host:port/database')
    .optional(),
  /** PostgreSQL connections this process keeps open (each Stride process has its own pool). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  /** ts-fsrs interval fuzz: on in use, off where a test needs exact intervals. */
  FSRS_FUZZ: z.enum(['on', 'off']).optional(),
  /** Signs the session cookie; unset, a random one is kept in the database, shared by every process on it (app/session.server.ts). */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Secure cookies (and HSTS) behind HTTPS; plain-http localhost would drop a Secure cookie. */
  COOKIE_SECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export type Env = z.infer<typeof EnvSchema> & { FSRS_FUZZ: 'on' | 'off' };

/** Parses `source` (process.env by default); throws naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid environment: ${problems}`);
  }
  const env = parsed.data;
  return { ...env, FSRS_FUZZ: env.FSRS_FUZZ ?? (env.NODE_ENV === 'test' ? 'off' : 'on') };
}

/** The database these settings name: DATABASE_URL (PostgreSQL) when set, else the SQLite file at DATABASE_PATH. */
export function databaseTargetOf(settings: Pick<Env, 'DATABASE_URL' | 'DATABASE_PATH'>): string {
  return settings.DATABASE_URL ?? settings.DATABASE_PATH;
}

let cached: Env | undefined;

/** The process environment, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}
