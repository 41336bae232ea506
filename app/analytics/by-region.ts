/**
 * Analytics by region, pure: per item and per family, each feature's regions with attempts,
 * accuracy (Wilson 95% interval), median time, lapse rate and commonest misconceptions, and the
 * regions significantly harder than the rest of their item flagged (Fisher's exact test, Holm over
 * the item's regions, α = 0.05); plus discrimination and the score distribution
 * (docs/decisions/0030-analytics-by-region.md).
 */
import { featuresOf, hasRegions, regionLabel, type Regions } from '../../engine/regions';
import { State, Rating } from '../scheduling/scheduler';
import { ALPHA, fisherExact, histogram, holm, MIN_TEST_ATTEMPTS, pearson, wilson, type Interval } from './stats';

/** Misconceptions listed per item and per region. */
const TOP_MISCONCEPTIONS = 3;

/** One review as analytics reads it. */
export interface ReviewFact {
  itemId: string;
  userId: number;
  correct: boolean;
  durationMs: number;
  rating: number;
  /** The card's ts-fsrs state before the review. */
  stateBefore: number;
  misconception: string | null;
}

/** One review as the analytics by region read it (regions already filled in for older rows). */
export interface RegionFact extends ReviewFact {
  /** Null for a fact item (or an unreadable one). */
  regions: Regions | null;
}

export type Verdict = 'harder' | 'easier' | 'no difference' | 'too few to test';

/** The words shown for each verdict (never colour alone). */
export const VERDICT_TEXT: Record<Verdict, string> = {
  harder: 'significantly harder than the rest',
  easier: 'significantly easier than the rest',
  'no difference': 'no significant difference',
  'too few to test': `too few to test (under ${MIN_TEST_ATTEMPTS} attempts here or in the rest)`,
};

export interface Figures {
  attempts: number;
  correct: number;
  accuracy: number | null;
  /** Wilson 95% interval of the accuracy; null without attempts. */
  interval: Interval | null;
  medianMs: number | null;
  lapses: number;
  /** Lapses per review of a card in review state; null when none was. */
  lapseRate: number | null;
  misconceptions: { id: string; count: number }[];
}

export interface RegionStats extends Figures {
  feature: string;
  featureLabel: string;
  region: string;
  regionLabel: string;
  /** Fisher's exact p against the rest of the item (or family), and Holm's adjusted p; null when untested. */
  p: number | null;
  adjustedP: number | null;
  verdict: Verdict;
  /** True when the region is significantly harder than the rest (verdict 'harder'). */
  flagged: boolean;
}

export interface RegionTable extends Figures {
  /** The item id, or the family id for a family table. */
  id: string;
  family: string;
  regions: RegionStats[];
}

export interface ItemRegionTable extends RegionTable {
  key: string;
  /** Point-biserial r of the student's first attempt at the item with their accuracy on the rest of the scope; null under 3 students or without spread. */
  discrimination: number | null;
  /** Students counted in the discrimination. */
  discriminationStudents: number;
  /** Per-student accuracy on the item, in tenths (HISTOGRAM_BINS). */
  distribution: number[];
}

export interface RegionAnalytics {
  students: number;
  attempts: number;
  accuracy: number | null;
  interval: Interval | null;
  /** Per-student accuracy over the whole scope, in tenths. */
  distribution: number[];
  items: ItemRegionTable[];
  families: RegionTable[];
}

/** Middle value of the sorted values; the mean of the two middle ones for an even count. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A lapse: a card in review state answered Again (ts-fsrs counts the same event). */
export function isLapse(review: Pick<ReviewFact, 'stateBefore' | 'rating'>): boolean {
  return review.stateBefore === State.Review && review.rating === Rating.Again;
}

/** The commonest misconceptions of `facts`, most frequent first (ties by id). */
export function topMisconceptions(facts: readonly Pick<ReviewFact, 'misconception'>[]): { id: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const f of facts) if (f.misconception) counts.set(f.misconception, (counts.get(f.misconception) ?? 0) + 1);
  return [...counts]
    .map(([id, count]) => ({ id, count }))
    .sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1))
    .slice(0, TOP_MISCONCEPTIONS);
}

function figures(facts: readonly RegionFact[]): Figures {
  const correct = facts.filter((f) => f.correct).length;
  const inReview = facts.filter((f) => f.stateBefore === State.Review);
  const lapses = inReview.filter(isLapse).length;
  return {
    attempts: facts.length,
    correct,
    accuracy: facts.length ? correct / facts.length : null,
    interval: wilson(correct, facts.length),
    medianMs: median(facts.map((f) => f.durationMs)),
    lapses,
    lapseRate: inReview.length ? lapses / inReview.length : null,
    misconceptions: topMisconceptions(facts),
  };
}

/** Each feature's regions over `facts` of one family, tested against the rest and Holm-corrected together. */
export function regionTable(id: string, family: string, facts: readonly RegionFact[]): RegionTable {
  const withRegions = facts.filter((f) => f.regions !== null);
  const rows: (Omit<RegionStats, 'adjustedP' | 'verdict' | 'flagged'> & { restAccuracy: number | null })[] = [];
  // A family the engine does not know (a renamed one) has no features: its figures only.
  for (const feature of hasRegions(family) ? featuresOf(family) : []) {
    const seen = new Set(withRegions.map((f) => f.regions![feature.id]).filter((r): r is string => r !== undefined));
    // Declared regions in order, then any a stored row names that the family no longer declares.
    const ids = [...feature.regions.map((r) => r.id), ...[...seen].filter((r) => !feature.regions.some((d) => d.id === r)).sort()];
    const inFeature = withRegions.filter((f) => f.regions![feature.id] !== undefined);
    for (const region of ids) {
      const inside = inFeature.filter((f) => f.regions![feature.id] === region);
      const rest = inFeature.length - inside.length;
      const fig = figures(inside);
      const restCorrect = inFeature.filter((f) => f.correct).length - fig.correct;
      const tested = inside.length >= MIN_TEST_ATTEMPTS && rest >= MIN_TEST_ATTEMPTS;
      rows.push({
        ...fig,
        feature: feature.id,
        featureLabel: feature.label,
        region,
        regionLabel: regionLabel(family, feature.id, region).region,
        p: tested ? fisherExact(fig.correct, inside.length - fig.correct, restCorrect, rest - restCorrect) : null,
        // For the direction of a significant difference; not part of the result.
        restAccuracy: rest ? restCorrect / rest : null,
      });
    }
  }
  const testedRows = rows.filter((r) => r.p !== null);
  const adjusted = holm(testedRows.map((r) => r.p!));
  const regions = rows.map((r): RegionStats => {
    const { restAccuracy, ...row } = r;
    const i = testedRows.indexOf(r);
    const adjustedP = i < 0 ? null : adjusted[i]!;
    const significant = adjustedP !== null && adjustedP <= ALPHA;
    const verdict: Verdict = adjustedP === null ? 'too few to test' : !significant ? 'no difference' : (row.accuracy ?? 0) < (restAccuracy ?? 0) ? 'harder' : 'easier';
    return { ...row, adjustedP, verdict, flagged: verdict === 'harder' };
  });
  return { id, family, ...figures(facts), regions };
}

/** Each student's accuracy over `facts`. */
function accuracyByStudent(facts: readonly RegionFact[]): Map<number, { correct: number; attempts: number }> {
  const out = new Map<number, { correct: number; attempts: number }>();
  for (const f of facts) {
    const s = out.get(f.userId) ?? { correct: 0, attempts: 0 };
    s.attempts += 1;
    if (f.correct) s.correct += 1;
    out.set(f.userId, s);
  }
  return out;
}

/** Each student's tally over all `facts` and per item: one pass, so that "the rest" of any item is a subtraction. */
export interface StudentTallies {
  total: Map<number, { correct: number; attempts: number }>;
  /** item → student → their first attempt (1 right, 0 wrong) and their tally on that item. */
  byItem: Map<string, Map<number, { first: number; correct: number; attempts: number }>>;
}

export function studentTallies(facts: readonly RegionFact[]): StudentTallies {
  const total = accuracyByStudent(facts);
  const byItem: StudentTallies['byItem'] = new Map();
  for (const f of facts) {
    let students = byItem.get(f.itemId);
    if (!students) byItem.set(f.itemId, (students = new Map()));
    const s = students.get(f.userId) ?? { first: f.correct ? 1 : 0, correct: 0, attempts: 0 };
    s.attempts += 1;
    if (f.correct) s.correct += 1;
    students.set(f.userId, s);
  }
  return { total, byItem };
}

/**
 * The point-biserial discrimination of one item: across students, r between the first attempt at
 * the item (1 right, 0 wrong; `facts` in review order) and the student's accuracy on the other
 * items in scope. Students without another item are left out.
 */
export function discrimination(itemId: string, facts: readonly RegionFact[] | StudentTallies): { r: number | null; students: number } {
  const tallies = Array.isArray(facts) ? studentTallies(facts as readonly RegionFact[]) : (facts as StudentTallies);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [user, own] of tallies.byItem.get(itemId) ?? []) {
    const all = tallies.total.get(user)!;
    const attempts = all.attempts - own.attempts;
    if (attempts === 0) continue;
    xs.push(own.first);
    ys.push((all.correct - own.correct) / attempts);
  }
  return { r: pearson(xs, ys), students: xs.length };
}

/** Per-student accuracy over `facts`, as a histogram in tenths. */
export function scoreDistribution(facts: readonly RegionFact[]): number[] {
  return histogram(Array.from(accuracyByStudent(facts), ([, s]) => s.correct / s.attempts));
}

export interface RegionItem {
  itemId: string;
  key: string;
  family: string | null;
}

/** The analytics by region of the generated items in `itemList` over `facts` (in review order). */
export function summariseByRegion(itemList: readonly RegionItem[], facts: readonly RegionFact[]): RegionAnalytics {
  const byItem = new Map<string, RegionFact[]>();
  for (const f of facts) {
    const list = byItem.get(f.itemId);
    if (list) list.push(f);
    else byItem.set(f.itemId, [f]);
  }
  const generated = itemList.filter((i): i is RegionItem & { family: string } => i.family !== null);
  const tallies = studentTallies(facts);
  const items = generated.map((i): ItemRegionTable => {
    const own = byItem.get(i.itemId) ?? [];
    const d = discrimination(i.itemId, tallies);
    return { ...regionTable(i.itemId, i.family, own), key: i.key, discrimination: d.r, discriminationStudents: d.students, distribution: scoreDistribution(own) };
  });
  const familyIds = [...new Set(generated.map((i) => i.family))];
  const families = familyIds.map((family) => regionTable(family, family, generated.filter((i) => i.family === family).flatMap((i) => byItem.get(i.itemId) ?? [])));
  const correct = facts.filter((f) => f.correct).length;
  return {
    students: new Set(facts.map((f) => f.userId)).size,
    attempts: facts.length,
    accuracy: facts.length ? correct / facts.length : null,
    interval: wilson(correct, facts.length),
    distribution: scoreDistribution(facts),
    items,
    families,
  };
}
