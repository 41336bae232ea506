/**
 * `queue <email> [--item <itemId>]`: a student's queue for today, each entry with its kind and
 * why it is where it is, then what is held back; with --item, where that item is or why it is not
 * in today's queue. DATABASE_URL or DATABASE_PATH selects the database, as for the server.
 */
import { dailyQueue, explainItem } from '../../app/models/queue.server';
import { getUserByEmail } from '../../app/models/user.server';
import { table, UsageError, type Command } from '../cli';
import { openAppDatabase } from './user';

const USAGE = 'queue <email> [--item <itemId>] [--at <ISO instant>]';

export const QUEUE_CLI_ERRORS = {
  unknownEmail: (email: string) => `no account has the email ${email}`,
  badAt: (at: string) => `--at must be an ISO instant such as 2026-12-01T09:00:00Z, got '${at}'`,
} as const;

export const queue: Command = {
  name: 'queue',
  summary: "a student's queue for today: each entry's item, bank, kind and why; what is held back; --item explains one item",
  usage: USAGE,
  flags: ['item=', 'at='],
  async run(args) {
    const [email, ...rest] = args.positionals;
    if (!email) throw new UsageError(`missing <email>; usage: stride ${USAGE}`);
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'; usage: stride ${USAGE}`);
    const item = args.flags.item;
    if (item === true) throw new UsageError('--item needs an item id (bank/key)');
    const at = args.flags.at;
    if (at === true || (at !== undefined && !Number.isFinite(Date.parse(at)))) throw new UsageError(QUEUE_CLI_ERRORS.badAt(at === true ? '' : at!));
    const now = at === undefined ? new Date() : new Date(at);
    const { database } = await openAppDatabase();
    try {
      const { db } = database;
      const user = await getUserByEmail({ db, email });
      if (!user) throw new UsageError(QUEUE_CLI_ERRORS.unknownEmail(email.trim().toLowerCase()));
      if (typeof item === 'string') {
        const explained = await explainItem({ db, userId: user.id, itemId: item, now });
        return { json: { email: user.email, ...explained }, text: `${explained.itemId}: ${explained.reason}` };
      }
      const q = await dailyQueue({ db, userId: user.id, now, explain: true });
      const entries = q.entries.map((e, i) => ({ position: i + 1, itemId: e.itemId, bankId: e.bankId, kind: e.kind, reason: e.reason }));
      const classBanks = q.classBanks.map((c) => ({ ...c }));
      const json = {
        email: user.email,
        studyDay: q.studyDay,
        nextDayStart: q.nextDayStart.toISOString(),
        limits: q.limits,
        done: q.done,
        entries,
        held: q.held,
        classBanks,
      };
      const lines = [
        `${user.email}, study day ${q.studyDay} (next starts ${q.nextDayStart.toISOString()}); done ${q.done.reviews} reviews and ${q.done.new} new of ${q.limits.reviewsPerDay} and ${q.limits.newPerDay} a day.`,
        entries.length === 0 ? 'Nothing in the queue.' : table(['#', 'item', 'bank', 'kind', 'why'], entries.map((e) => [e.position, e.itemId, e.bankId, e.kind, e.reason])),
      ];
      if (q.held.length > 0) lines.push('', 'Held back:', ...q.held.map((h) => `  ${h.scope} ${h.id}: ${h.reason} (${h.count})`));
      for (const c of q.classBanks)
        lines.push(
          `Class ${c.className}, ${c.bankTitle}: ${c.progress.introduced} of ${c.progress.total} introduced, today's quota ${c.quotaToday}` +
            (c.learnBy ? `, learn by ${c.learnBy}: ${c.progress.onTrack ? 'on track' : `behind (last one ${c.progress.finishesOn ?? 'never, at 0 new a day'})`}` : ''),
        );
      return { json, text: lines.join('\n') };
    } finally {
      await database.close();
    }
  },
};
