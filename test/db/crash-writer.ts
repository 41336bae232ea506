/**
 * The child of crash.test.ts: streams reviews into the database at argv[2] (a SQLite path or a
 * PostgreSQL URL) and prints `ack <clientReviewId>` after each commit, until it is killed.
 * Usage: node --import tsx test/db/crash-writer.ts <target> <user id> <item id>...
 */
import { Rating } from 'ts-fsrs';
import { openDatabase } from '../../db/client';
import { submitReview } from '../../app/models/review.server';

const [target, userArg, ...itemIds] = process.argv.slice(2);
if (!target || !userArg || itemIds.length === 0) {
  // Thrown, not process.exit: the parent sees a non-zero exit and this message either way.
  throw new Error('usage: crash-writer.ts <sqlite path | postgres url> <user id> <item id>...');
}
const { db } = await openDatabase(target, { poolSize: 2 });
const userId = Number(userArg);
const start = Date.parse('2024-06-01T12:00:00Z');
const ratings = [Rating.Again, Rating.Hard, Rating.Good, Rating.Easy] as const;

for (let i = 0; ; i++) {
  const clientReviewId = `crash-${i}`;
  await submitReview({
    db,
    userId,
    itemId: itemIds[i % itemIds.length]!,
    clientReviewId,
    seed: i,
    rawAnswer: String(i),
    readAs: { kind: 'count', value: i },
    correct: i % 4 !== 0,
    misconception: null,
    rating: ratings[i % 4]!,
    suggestedRating: ratings[i % 4]!,
    durationMs: 1000 + i,
    hinted: false,
    now: new Date(start + i * 60_000),
  });
  // Pipes are synchronous on Linux: the line is out before the next review begins.
  process.stdout.write(`ack ${clientReviewId}\n`);
}
