/**
 * `analytics <bank> [--class <id>]`: the analytics by region of a bank's generated items, for all
 * its users or one class's members (docs/decisions/0030-analytics-by-region.md): per item and per
 * family, each region's attempts, accuracy with its 95% interval, median time, lapse rate, top
 * misconceptions and verdict; discrimination and the score distribution. Operator access, as the
 * other database commands: DATABASE_URL or DATABASE_PATH selects the database.
 */
import { HISTOGRAM_BINS, regionAnalyticsOf, RegionScopeError, VERDICT_TEXT, type RegionTable } from '../../app/models/analytics.server';
import { intFlag, table, UsageError, type Command } from '../cli';
import { openAppDatabase } from './user';

const USAGE = 'analytics <bank> [--class <id>]';

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);
const interval = (i: { low: number; high: number } | null) => (i === null ? '—' : `${pct(i.low)}–${pct(i.high)}`);
const secs = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);

function regionLines(t: RegionTable): string {
  return table(
    ['feature', 'region', 'attempts', 'accuracy', '95% CI', 'median', 'lapse rate', 'misconceptions', 'verdict'],
    t.regions.map((r) => [r.featureLabel, r.regionLabel, r.attempts, pct(r.accuracy), interval(r.interval), secs(r.medianMs), pct(r.lapseRate), r.misconceptions.map((m) => `${m.id} (${m.count})`).join(', ') || '—', r.flagged ? `FLAGGED: ${VERDICT_TEXT[r.verdict]}` : VERDICT_TEXT[r.verdict]]),
  );
}

function distributionLine(bins: readonly number[]): string {
  return bins.map((n, i) => `${(i * 100) / HISTOGRAM_BINS}–${((i + 1) * 100) / HISTOGRAM_BINS}%: ${n}`).join(', ');
}

export const analytics: Command = {
  name: 'analytics',
  summary: "a bank's analytics by parameter region (per item and family; flagged regions, discrimination, score distribution); --class for one class",
  usage: USAGE,
  flags: ['class='],
  async run(args) {
    const [bankId, ...rest] = args.positionals;
    if (!bankId) throw new UsageError(`missing <bank>; usage: stride ${USAGE}`);
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'; usage: stride ${USAGE}`);
    const classId = args.flags.class === undefined ? null : intFlag(args, 'class');
    const { database } = await openAppDatabase();
    try {
      const doc = await regionAnalyticsOf({ db: database.db, bankId, classId }).catch((err: unknown) => {
        throw err instanceof RegionScopeError ? new UsageError(err.message) : err;
      });
      const s = doc.scope;
      const lines = [
        `${s.bankTitle} (${s.bankId}), ${s.classId === null ? 'all users' : `class ${s.classId} ${s.className}`}: ${doc.students} students, ${doc.attempts} reviews, accuracy ${pct(doc.accuracy)} (95% CI ${interval(doc.interval)}).`,
        `Score distribution (students by accuracy): ${distributionLine(doc.distribution)}`,
      ];
      for (const item of doc.items) {
        lines.push('', `Item ${item.id} (${item.family}): ${item.attempts} attempts, accuracy ${pct(item.accuracy)} (${interval(item.interval)}), discrimination ${item.discrimination === null ? '—' : item.discrimination.toFixed(2)} over ${item.discriminationStudents} students`);
        lines.push(`  Students by accuracy on the item: ${distributionLine(item.distribution)}`);
        if (item.attempts > 0) lines.push(regionLines(item));
      }
      for (const family of doc.families) {
        if (family.attempts === 0) continue;
        lines.push('', `Family ${family.id}: ${family.attempts} attempts, accuracy ${pct(family.accuracy)} (${interval(family.interval)})`, regionLines(family));
      }
      return { json: doc, text: lines.join('\n') };
    } finally {
      await database.close();
    }
  },
};
