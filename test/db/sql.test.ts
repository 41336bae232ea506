/**
 * db/sql.ts, the only SQL that differs between the engines, run on the engine of the test
 * project (both: `integration` on SQLite, `db-postgres` on PostgreSQL) with exact values, read
 * through drizzle's query builder as models read them (not the fixture's normalised rows), so a
 * string where a number was meant shows.
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { quizAttempts, users } from '../../db/schema';
import { asInteger, jsonInteger, larger, lockNames, lockRows, prepared } from '../../db/sql';
import { loginFailures } from '../../db/schema';
import { addUser, eachTestDb, testEngine } from './fixture';

const each = eachTestDb();

/** `expr` selected through drizzle's query builder (what models do), from the one row of users. */
async function selected(expr: SQL): Promise<unknown> {
  if ((await each.t.db.select({ id: users.id }).from(users)).length === 0) await addUser(each.t.db);
  const [row] = await each.t.db.select({ v: expr }).from(users).limit(1);
  return row!.v;
}

/** Lets every pending callback and I/O completion run once more: "later", without a clock. */
const turns = async (n = 20) => {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/** A promise and the function that settles it: a step a test lets happen when it says so. */
function step(): { promise: Promise<void>; go(): void } {
  let go!: () => void;
  const promise = new Promise<void>((resolve) => (go = resolve));
  return { promise, go };
}

describe('jsonInteger', () => {
  it('reads an integer field of JSON text as a number', async () => {
    expect(await selected(jsonInteger(sql`${'{"state":2}'}`, 'state'))).toBe(2);
    expect(await selected(jsonInteger(sql`${'{"state":0,"reps":5}'}`, 'reps'))).toBe(5);
    expect(await selected(jsonInteger(sql`${'{"state":-1}'}`, 'state'))).toBe(-1);
  });

  it('reads an instant in milliseconds (card states hold them): more than 32 bits', async () => {
    expect(await selected(jsonInteger(sql`${'{"due":1893456000000}'}`, 'due'))).toBe(1_893_456_000_000);
  });

  it('is null for a missing key', async () => {
    expect(await selected(jsonInteger(sql`${'{"state":2}'}`, 'reps'))).toBeNull();
  });

  it('reads a column in a selection and in a where clause', async () => {
    const userId = await addUser(each.t.db);
    const attempt = { userId, seeds: '[]', startedAt: new Date(0) };
    await each.t.db.insert(quizAttempts).values([
      { ...attempt, config: '{"count":5,"minutes":10}' },
      { ...attempt, config: '{"count":12}' },
    ]);
    const rows = await each.t.db
      .select({ count: jsonInteger(quizAttempts.config, 'count'), minutes: jsonInteger(quizAttempts.config, 'minutes') })
      .from(quizAttempts)
      .orderBy(quizAttempts.id);
    expect(rows).toEqual([
      { count: 5, minutes: 10 },
      { count: 12, minutes: null },
    ]);
    const big = await each.t.db.select({ id: quizAttempts.id }).from(quizAttempts).where(sql`${jsonInteger(quizAttempts.config, 'count')} > 10`);
    expect(big).toHaveLength(1);
  });

  it('refuses a key that is not a plain word (it is written into the SQL)', () => {
    expect(() => jsonInteger(quizAttempts.config, "count') or ('1")).toThrow(/jsonInteger: not a plain key/);
  });
});

describe('larger', () => {
  it('is the larger of two numbers, compared as numbers', async () => {
    expect(await selected(larger(0, -3))).toBe(0);
    expect(await selected(larger(-3, 0))).toBe(0);
    // 10 > 9 as numbers; as text '9' would win.
    expect(await selected(larger(10, 9))).toBe(10);
    expect(await selected(larger(0, 2.5))).toBe(2.5);
    expect(await selected(larger(Date.UTC(2030, 0, 1), 0))).toBe(Date.UTC(2030, 0, 1));
  });

  it('takes expressions: a column and the integer of a bound value', async () => {
    const userId = await addUser(each.t.db, { rolloverHour: 6 });
    const [row] = await each.t.db
      .select({ hour: larger(users.rolloverHour, 4), floor: larger(0, asInteger(sql`${-7}`)), days: larger(0, asInteger(sql`(${3 * 86_400_000 + 5} - ${users.createdAt}) / ${86_400_000}`)) })
      .from(users)
      .where(eq(users.id, userId));
    expect(row).toEqual({ hour: 6, floor: 0, days: 3 });
  });
});

describe('asInteger', () => {
  it('is a bound number as an integer: integer arithmetic, a number back', async () => {
    expect(await selected(asInteger(sql`${7}`))).toBe(7);
    expect(await selected(sql`${asInteger(sql`${7}`)} / 2`.mapWith(Number))).toBe(3);
    // Why it is needed: better-sqlite3 binds a JS number as a real.
    expect(await selected(sql`${7} / 2`.mapWith(Number))).toBe(testEngine() === 'postgres' ? 3 : 3.5);
  });

  it('holds an instant in milliseconds (more than 32 bits)', async () => {
    const ms = Date.UTC(2030, 0, 1);
    expect(await selected(asInteger(sql`${ms}`))).toBe(ms);
  });

  it('divides a bound number by an integer toward zero on both', async () => {
    expect(await selected(asInteger(sql`${-7} / 2`))).toBe(-3);
  });
});

describe('prepared', () => {
  it('runs with its placeholders filled, again and again', async () => {
    const ana = await addUser(each.t.db, { email: 'ana@example.test' });
    const ben = await addUser(each.t.db, { email: 'ben@example.test' });
    const byId = prepared(each.t.db.select({ email: users.email }).from(users).where(eq(users.id, sql.placeholder('id'))), 'sql_test_user_email');
    expect(await byId.execute({ id: ana })).toEqual([{ email: 'ana@example.test' }]);
    expect(await byId.execute({ id: ben })).toEqual([{ email: 'ben@example.test' }]);
    expect(await byId.execute({ id: ana })).toEqual([{ email: 'ana@example.test' }]);
    expect(await byId.execute({ id: -1 })).toEqual([]);
  });
});

describe('lockRows and the transactions around it', () => {
  if (testEngine() === 'postgres') {
    /** Whether some connection of this database is waiting for a lock right now (a row lock waits on the holder's transaction id). */
    const someoneWaits = async () =>
      (await each.t.database.rows<{ n: string }>(sql`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`))[0]!.n !== '0';

    async function untilSomeoneWaits(): Promise<void> {
      for (let i = 0; i < 500; i++) {
        if (await someoneWaits()) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('the second transaction never waited for the row lock');
    }

    /** Notes 'second is waiting' once `second` waits on a lock, lets `first` commit, and waits for both (each settled even when a step fails). */
    async function oncePending(events: string[], release: { go(): void }, first: Promise<unknown>, second: Promise<unknown>): Promise<void> {
      try {
        await untilSomeoneWaits();
        events.push('second is waiting');
      } finally {
        release.go();
        await Promise.allSettled([first, second]);
      }
      await Promise.all([first, second]);
    }

    it('a second transaction locking the same row waits until the first commits, then reads its write', async () => {
      const userId = await addUser(each.t.db, { newPerDay: 20 });
      const events: string[] = [];
      const release = step();
      const first = each.t.db.transaction(async (tx) => {
        await lockRows(tx, users, eq(users.id, userId));
        events.push('first locked');
        await tx.update(users).set({ newPerDay: 21 }).where(eq(users.id, userId));
        await release.promise;
        events.push('first commits');
      });
      await turns();
      while (!events.includes('first locked')) await turns();
      const second = each.t.db.transaction(async (tx) => {
        events.push('second asks');
        await lockRows(tx, users, eq(users.id, userId));
        const [row] = await tx.select({ newPerDay: users.newPerDay }).from(users).where(eq(users.id, userId));
        events.push(`second locked, reads ${row!.newPerDay}`);
      });
      await oncePending(events, release, first, second);
      expect(events).toEqual(['first locked', 'second asks', 'second is waiting', 'first commits', 'second locked, reads 21']);
    });

    it('lockNames: a second transaction taking the same name waits for the first, then counts its row; another name is not held', async () => {
      const events: string[] = [];
      const release = step();
      const first = each.t.db.transaction(async (tx) => {
        await lockNames(tx, ['account:ada', 'address:1.2.3.4']);
        events.push('first locked');
        await tx.insert(loginFailures).values({ key: 'account:ada', at: new Date(0) });
        await release.promise;
        events.push('first commits');
      });
      while (!events.includes('first locked')) await turns();
      await each.t.db.transaction(async (tx) => {
        await lockNames(tx, ['account:bo']);
        events.push('other name locked');
      });
      const second = each.t.db.transaction(async (tx) => {
        await lockNames(tx, ['address:1.2.3.4', 'account:ada']);
        const seen = await tx.select().from(loginFailures).where(eq(loginFailures.key, 'account:ada'));
        events.push(`second locked, counts ${seen.length}`);
      });
      await oncePending(events, release, first, second);
      expect(events).toEqual(['first locked', 'other name locked', 'second is waiting', 'first commits', 'second locked, counts 1']);
    });

    it('locks only the rows selected: another row is not held', async () => {
      const ana = await addUser(each.t.db);
      const ben = await addUser(each.t.db);
      const events: string[] = [];
      const release = step();
      const first = each.t.db.transaction(async (tx) => {
        await lockRows(tx, users, eq(users.id, ana));
        events.push('first locked ana');
        await release.promise;
      });
      while (!events.includes('first locked ana')) await turns();
      await each.t.db.transaction(async (tx) => {
        await lockRows(tx, users, eq(users.id, ben));
        events.push('second locked ben');
      });
      release.go();
      await first;
      expect(events).toEqual(['first locked ana', 'second locked ben']);
    });

    it('without a lock, transactions run side by side and a statement outside sees no uncommitted row (READ COMMITTED)', async () => {
      const events: string[] = [];
      const release = step();
      const first = each.t.db.transaction(async (tx) => {
        await tx.insert(users).values({ email: 'uncommitted@example.test', displayName: 'U', passwordHash: 'x', createdAt: new Date(0) });
        events.push('first inserted');
        await release.promise;
        events.push('first commits');
      });
      while (!events.includes('first inserted')) await turns();
      await each.t.db.transaction(async () => void events.push('second ran'));
      const seen = await each.t.db.select({ id: users.id }).from(users).where(eq(users.email, 'uncommitted@example.test'));
      events.push(`outside sees ${seen.length}`);
      release.go();
      await first;
      const after = await each.t.db.select({ id: users.id }).from(users).where(eq(users.email, 'uncommitted@example.test'));
      expect([...events, `after commit sees ${after.length}`]).toEqual(['first inserted', 'second ran', 'outside sees 0', 'first commits', 'after commit sees 1']);
    });
  } else {
    it('is a no-op on SQLite: the transaction already holds the write lock from BEGIN IMMEDIATE', async () => {
      const userId = await addUser(each.t.db);
      const statements: string[] = [];
      const sqlite = each.t.database.sqlite!;
      const prepare = sqlite.prepare.bind(sqlite);
      sqlite.prepare = ((text: string) => (statements.push(text), prepare(text))) as typeof sqlite.prepare;
      try {
        await each.t.db.transaction(async (tx) => {
          expect(await lockRows(tx, users, eq(users.id, userId))).toBeUndefined();
        });
      } finally {
        sqlite.prepare = prepare;
      }
      expect(statements.filter((s) => /\bfrom\b/i.test(s))).toEqual([]);
    });

    it('two transactions run one after the other (the seam gate)', async () => {
      const events: string[] = [];
      const release = step();
      const first = each.t.db.transaction(async (tx) => {
        events.push('first begins');
        await tx.insert(users).values({ email: 'first@example.test', displayName: 'F', passwordHash: 'x', createdAt: new Date(0) });
        await release.promise;
        events.push('first commits');
      });
      const second = each.t.db.transaction(async (tx) => {
        events.push('second begins');
        const seen = await tx.select({ id: users.id }).from(users).where(eq(users.email, 'first@example.test'));
        events.push(`second sees ${seen.length}`);
      });
      await turns();
      events.push('others have had their turns');
      release.go();
      await Promise.all([first, second]);
      expect(events).toEqual(['first begins', 'others have had their turns', 'first commits', 'second begins', 'second sees 1']);
    });

    it('a statement outside waits for an open transaction, and never sees a row it rolled back', async () => {
      const events: string[] = [];
      const release = step();
      const first = each.t.db
        .transaction(async (tx) => {
          await tx.insert(users).values({ email: 'rolled-back@example.test', displayName: 'R', passwordHash: 'x', createdAt: new Date(0) });
          events.push('first inserted');
          await release.promise;
          events.push('first rolls back');
          throw new Error('roll back');
        })
        .catch(() => events.push('first rolled back'));
      while (!events.includes('first inserted')) await turns();
      const outside = each.t.db
        .select({ id: users.id })
        .from(users)
        .where(eq(users.email, 'rolled-back@example.test'))
        .then((rows) => events.push(`outside sees ${rows.length}`));
      await turns();
      events.push('others have had their turns');
      release.go();
      await Promise.all([first, outside]);
      expect(events).toEqual(['first inserted', 'others have had their turns', 'first rolls back', 'first rolled back', 'outside sees 0']);
    });

    it('a statement outside waits for an open transaction to commit, then sees its row', async () => {
      const events: string[] = [];
      const release = step();
      const first = each.t.db.transaction(async (tx) => {
        await tx.insert(users).values({ email: 'committed@example.test', displayName: 'C', passwordHash: 'x', createdAt: new Date(0) });
        events.push('first inserted');
        await release.promise;
        events.push('first commits');
      });
      while (!events.includes('first inserted')) await turns();
      const outside = each.t.database
        .rows<{ n: number }>(sql`select count(*) as n from users where email = ${'committed@example.test'}`)
        .then(([row]) => events.push(`raw outside sees ${row!.n}`));
      await turns();
      events.push('others have had their turns');
      release.go();
      await Promise.all([first, outside]);
      expect(events).toEqual(['first inserted', 'others have had their turns', 'first commits', 'raw outside sees 1']);
    });
  }
});
