/**
 * The readiness forecast: how much of an exam's scope a student will recall at the exam if they
 * follow the plan, and if they stop today. Pure: the cards, the exam, the calendar, the settings
 * and the seed are arguments (app/models/readiness.server.ts reads them). The method is in
 * docs/decisions/0023-readiness-forecast.md; in short:
 *
 * - The schedule is simulated forward from `now`, one session per study day (today's at `now`,
 *   later ones at the day's start), to the exam. In a session the student answers every card due
 *   before the day ends (Review cards lowest recall first, at most maxReviewsPerDay; the rest wait
 *   for the next day), introduces up to newPerDay of the in-scope New cards (in the order given;
 *   on the days before the exam's, not on its morning), and follows the learning steps through
 *   the day. On the exam's day the cards due before the exam are answered. Each answer passes with the card's predicted
 *   recall at that instant (`recallAt`; a New card's first answer FIRST_ANSWER_RIGHT), drawn from
 *   a seeded generator: a pass is rated Good, a fail Again. ts-fsrs schedules the card with the
 *   student's own settings and parameters (fuzz off), then the exam rule (`placeForExam`, with the
 *   loads this run has produced) may bring its due forward, as review.server.ts does.
 * - Monte Carlo over the outcomes: `runs` runs; each run's result is the expected share recalled
 *   at the exam (the mean of every card's recall at exam.at). The interval is the 95% interval
 *   of the mean over runs (mean ± t · sd / √runs, Student's t for runs − 1 degrees of freedom): how
 *   precisely the runs pin the forecast down, not the spread of one student's exam-day luck.
 * - Stop today: every card's recall at the exam from today's state, no review (exact, no runs).
 * - Speed: a card's state is a function of its answers (instant, pass or fail), so the states
 *   are kept in a tree per card shared by all runs: ts-fsrs is called once per distinct
 *   branch, and most runs follow branches already computed.
 */
import { State } from 'ts-fsrs';
import { createRng } from '../../engine/random';
import { placeForExam, planDays, recallAt, type PlanDay, type StudyCalendar } from './exam-plan';
import { fromFsrsCard, Rating, schedulerFor, toFsrsCard, type CardState, type SchedulerSettings } from './scheduler';
import { studyDayBounds } from './study-day';
import { FIRST_ANSWER_RIGHT } from './workload';

/** The most runs a forecast makes (small decks, near exams). */
export const DEFAULT_RUNS = 200;
/**
 * The work is about cards × study days × runs, so bigger decks and farther exams get fewer runs:
 * runs = RUN_BUDGET / (cards × days), between MIN_RUNS and DEFAULT_RUNS (1,000 cards 21 days
 * ahead: 113 runs; 10,000 cards: 11; 120 days ahead: 5). A big deck's share varies less from run
 * to run, and the page must come well under 2 s for 10,000 cards (test/bench/exam.bench.ts).
 */
export const RUN_BUDGET = 2_500_000;
export const MIN_RUNS = 5;
/** Runs of the simulation with the daily review limit lifted (limits.bestRecall when the limit binds): runs / 4, at least this. */
export const LIFTED_MIN_RUNS = 5;
/** At most this many at-risk cards are listed (the count says how many there are). */
export const AT_RISK_LISTED = 50;
/** Student's t for a two-sided 95% interval with 1…30 degrees of freedom (few runs: wider than 1.96). */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** The t quantile for `df` degrees of freedom: the table, then its Cornish–Fisher expansion around 1.96 (within 0.001). */
export function t95(df: number): number {
  if (df <= T95.length) return T95[df - 1]!;
  return 1.96 + 2.372 / df + 2.823 / (df * df);
}

export const READINESS_TEXT = {
  method: (runs: number) =>
    `Simulated ${runs} times with your own scheduler settings and pace: each review passes with its predicted recall. The range is the 95% interval of the mean over the ${runs} runs (how precisely they fix the figure, not the spread of exam-day luck).`,
  examBegun: 'The exam has begun: there is nothing left to plan.',
  noDayLeft: 'The exam is today or tomorrow: no study day is left before it to plan reviews on.',
  tooManyNew: (fresh: number, perDay: number, possible: number) =>
    `${fresh} in-scope cards are still new; at ${perDay} new cards a day only ${possible} can be started before the exam.`,
  overLimit: (needed: number, limit: number) => `The plan needs up to ${needed} reviews on a day, more than your limit of ${limit} a day.`,
  tooFewDays: (recall: number, target: number) =>
    `Too few days: even following the plan, predicted recall at the exam is ${pct(recall)}, below the target of ${pct(target)}.`,
} as const;

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

export interface ForecastCard {
  itemId: string;
  title: string;
  topic: string;
  family: string | null;
  state: CardState;
}

export interface ForecastInput {
  /** The in-scope cards, unsuspended, New ones included (a New one is introduced at newPerDay, in this order). */
  cards: readonly ForecastCard[];
  exam: { at: number; target: number };
  now: number;
  calendar: StudyCalendar;
  settings: SchedulerSettings;
  secondsPerReview: number;
  newPerDay: number;
  maxReviewsPerDay: number;
  /** Default: runsFor(cards, days): DEFAULT_RUNS, fewer for big decks and far exams. */
  runs?: number;
  seed?: number;
}

export interface RecallEstimate {
  /** Mean expected share recalled at the exam, 0–1. */
  mean: number;
  /** The 95% interval of the mean over the runs (equal to mean for stop-today). */
  low: number;
  high: number;
  cards: number;
}

export interface RecallForecast {
  overall: RecallEstimate;
  topics: ({ topic: string } & RecallEstimate)[];
  /** Generated items' families (facts have none). */
  families: ({ family: string } & RecallEstimate)[];
}

export interface DayLoad {
  /** 'YYYY-MM-DD', the student's study day. */
  day: string;
  /** Expected answers that day (mean over runs; learning steps and new cards' first answers included). */
  reviews: number;
  /** reviews × secondsPerReview, in minutes. */
  minutes: number;
}

export interface AtRiskCard {
  itemId: string;
  title: string;
  topic: string;
  family: string | null;
  /** Predicted recall at the exam following the plan (mean over runs). */
  plan: number;
  /** Predicted recall at the exam if the student stops today. */
  stopToday: number;
}

export interface ReadinessLimits {
  /** The plan's predicted recall meets the target. */
  reachable: boolean;
  /** The best recall reachable: the plan's, or with the daily review limit lifted when the limit binds. */
  bestRecall: number;
  /** The most reviews a day that needs (expected, the peak day). */
  dailyLoadNeeded: number;
  /** Why the target is out of reach; null when it is reachable. */
  reason: string | null;
}

export interface Readiness {
  runs: number;
  seed: number;
  target: number;
  /** The exam's study day. */
  examDay: string;
  /** Study days from today's to the exam's. */
  daysLeft: number;
  cards: number;
  newCards: number;
  secondsPerReview: number;
  plan: RecallForecast;
  stopToday: RecallForecast;
  /** Today to the exam's day (its reviews before the exam). */
  perDay: DayLoad[];
  /** Cards below the target at the exam under the plan, worst first (at most AT_RISK_LISTED). */
  atRisk: AtRiskCard[];
  atRiskTotal: number;
  limits: ReadinessLimits;
  method: string;
}

/** The runs a deck of `cards` gets by default with `days` study days to the exam (today's and the exam's included). */
export function runsFor(cards: number, days: number): number {
  return Math.max(MIN_RUNS, Math.min(DEFAULT_RUNS, Math.floor(RUN_BUDGET / Math.max(1, cards * days))));
}

/**
 * A state in a card's tree of simulated answers, shared by every run. What depends on the state
 * alone is computed once here: its children (by answer instant and outcome), its recall at the
 * last instant it was answered at, its recall at the exam, and whether the exam rule can move it.
 */
interface Node {
  s: CardState;
  /** Children, keyed by instant and outcome; a state has one to a few. */
  kidT: number[] | null;
  kidPass: boolean[] | null;
  kids: Node[] | null;
  /** Pass probability at instant pT (a card is mostly answered at its due). */
  pT: number;
  p: number;
  /** Recall at the exam (NaN until computed). */
  atExam: number;
  /** The rule keeps this due whatever the loads (due before the exam, or ready): no need to ask it. */
  kept: boolean | null;
}

function nodeOf(s: CardState): Node {
  return { s, kidT: null, kidPass: null, kids: null, pT: NaN, p: 0, atExam: NaN, kept: null };
}

interface SimDay {
  day: string;
  start: number;
  end: number;
}

interface Simulation {
  /** recall at the exam, [run][card] flattened: run * cards + card. */
  recall: Float64Array;
  /** reviews per day, summed over runs. */
  reviews: Float64Array;
  /** Some day held Review cards back at the daily limit. */
  capBound: boolean;
}

/** The study days from today's to the exam's, both included: today, the plan days (kept by planDays), the exam's day. */
function studyDays(now: number, examAt: number, calendar: StudyCalendar): SimDay[] {
  if (now >= examAt) return [];
  const today = studyDayBounds(new Date(now), calendar.timeZone, calendar.rolloverHour);
  const examDay = studyDayBounds(new Date(examAt), calendar.timeZone, calendar.rolloverHour);
  const plan = planDays(now, examAt, calendar);
  const days: SimDay[] = [{ day: today.day, start: today.start.getTime(), end: today.end.getTime() }];
  plan.forEach((d, i) => days.push({ day: d.day, start: d.start, end: plan[i + 1]?.start ?? examDay.start.getTime() }));
  if (examDay.start.getTime() >= today.end.getTime() && examAt > examDay.start.getTime()) days.push({ day: examDay.day, start: examDay.start.getTime(), end: examDay.end.getTime() });
  return days;
}

/** Index of the day containing `t` (-1 before the first, days.length at or after the last's end). */
function dayIndex(days: readonly SimDay[], t: number): number {
  if (days.length === 0 || t < days[0]!.start) return -1;
  let lo = 0;
  let hi = days.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (days[mid]!.start <= t) lo = mid;
    else hi = mid;
  }
  return t < days[lo]!.end ? lo : days.length;
}

/** The k cards of `list` with the lowest `key` (ties: the lower index), in list order: a selection, not a sort (a backlog of thousands meets it every day). */
function lowest(list: readonly number[], key: Float64Array, k: number): number[] {
  const values = new Float64Array(list.length);
  for (let i = 0; i < list.length; i++) values[i] = key[list[i]!]!;
  // Quickselect the k-th smallest value (Hoare partition, middle pivot).
  let lo = 0;
  let hi = values.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const x = values[i]!;
        values[i] = values[j]!;
        values[j] = x;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  const kth = values[target]!;
  let below = 0;
  for (const c of list) if (key[c]! < kth) below++;
  let ties = k - below;
  const out: number[] = [];
  for (const c of list) {
    const v = key[c]!;
    if (v < kth || (v === kth && ties-- > 0)) out.push(c);
  }
  return out;
}

function simulate(input: ForecastInput, runs: number, roots: Node[], days: readonly SimDay[], maxReviewsPerDay: number): Simulation {
  const { exam, now, cards } = input;
  const settings: SchedulerSettings = { ...input.settings, fuzz: false };
  const scheduler = schedulerFor(settings);
  const params = settings.parameters;
  const n = cards.length;
  // Plan days: every day but today's and the exam's (planDays' definition, checked by the caller).
  const plan: PlanDay[] = days.slice(1, -1).map((d) => ({ day: d.day, start: d.start }));
  // A review on day i: the plan days after it, days[i + 1 …], are plan[i …].
  const planFrom = days.map((_, i) => plan.slice(i));
  const lastPlanDay = days.length - 2;
  const recall = new Float64Array(runs * n);
  const reviews = new Float64Array(days.length);
  let capBound = false;

  const node = new Array<Node>(n);
  const due = new Float64Array(n);
  const introduced = new Uint8Array(n);
  // Each card sits in the bucket of the day its due falls in (a stale entry, left when it moved on, is skipped).
  const bucket: number[][] = days.map(() => []);
  const bucketOf = new Int32Array(n);
  const place = (c: number) => {
    const i = Math.max(0, dayIndex(days, due[c]!));
    bucketOf[c] = i;
    if (i < days.length) bucket[i]!.push(c);
  };
  const fresh: number[] = [];
  for (let c = 0; c < n; c++) if (cards[c]!.state.state === State.New) fresh.push(c);
  const dueReview: number[] = [];
  const others: number[] = [];
  const order = new Float64Array(n);

  const passChance = (x: Node, t: number): number => {
    if (x.pT !== t) {
      x.pT = t;
      x.p = x.s.state === State.New ? FIRST_ANSWER_RIGHT : recallAt(x.s, t, params);
    }
    return x.p;
  };
  const child = (x: Node, t: number, pass: boolean): Node => {
    if (x.kids) {
      for (let k = 0; k < x.kids.length; k++) if (x.kidT![k] === t && x.kidPass![k] === pass) return x.kids[k]!;
    } else {
      x.kids = [];
      x.kidT = [];
      x.kidPass = [];
    }
    const { card } = scheduler.next(toFsrsCard(x.s), new Date(t), pass ? Rating.Good : Rating.Again);
    const kid = nodeOf(fromFsrsCard(card, false));
    x.kids.push(kid);
    x.kidT!.push(t);
    x.kidPass!.push(pass);
    return kid;
  };
  const atExam = (x: Node): number => (Number.isNaN(x.atExam) ? (x.atExam = recallAt(x.s, exam.at, params)) : x.atExam);

  for (let run = 0; run < runs; run++) {
    const rng = createRng((input.seed ?? 1) * 1_000_003 + run);
    // In-scope cards due on each plan day, by day (placeForExam's `load`), and the same by index.
    const load = new Map<string, number>();
    const addLoad = (t: number, k: number) => {
      if (t < plan[0]!.start) return;
      const i = dayIndex(days, t);
      if (i < 1 || i > lastPlanDay) return;
      const d = days[i]!.day;
      load.set(d, (load.get(d) ?? 0) + k);
    };
    let reviewed = 0;
    for (const b of bucket) b.length = 0;
    for (let c = 0; c < n; c++) {
      const root = roots[c]!;
      node[c] = root;
      due[c] = root.s.due;
      const isNew = root.s.state === State.New;
      introduced[c] = isNew ? 0 : 1;
      if (!isNew) {
        reviewed++;
        if (plan.length > 0) addLoad(due[c]!, 1);
        place(c);
      }
    }
    let nextFresh = 0;

    const answer = (c: number, t: number, di: number) => {
      const cur = node[c]!;
      const pass = rng.next() < passChance(cur, t);
      const kid = child(cur, t, pass);
      node[c] = kid;
      if (cur.s.state === State.New) reviewed++;
      reviews[di]!++;
      let next = kid.s.due;
      if (kid.kept === null) kid.kept = next < exam.at || atExam(kid) >= exam.target;
      if (!kid.kept && di + 1 <= lastPlanDay) {
        const placed = placeForExam({ after: kid.s, now: t, exam, days: planFrom[di]!, load, cardsInScope: reviewed, ...(params ? { parameters: params } : {}) });
        if (placed.kind === 'moved') next = placed.due;
      }
      due[c] = next;
      if (plan.length > 0) addLoad(next, 1);
    };

    for (let di = 0; di < days.length; di++) {
      const day = days[di]!;
      const session = di === 0 ? now : day.start;
      const end = Math.min(day.end, exam.at);
      if (session >= end) continue;
      // New cards: up to newPerDay start at the session, on the days before the exam's (none on its morning).
      for (let k = 0; di < days.length - 1 && k < input.newPerDay && nextFresh < fresh.length; k++) {
        const c = fresh[nextFresh++]!;
        introduced[c] = 1;
        due[c] = session;
        place(c);
      }
      dueReview.length = 0;
      others.length = 0;
      for (const c of bucket[di]!) {
        if (bucketOf[c] !== di || due[c]! >= end) continue;
        (node[c]!.s.state === State.Review ? dueReview : others).push(c);
      }
      let chosen = dueReview;
      if (dueReview.length > maxReviewsPerDay) {
        // The daily limit: the lowest recall first, as the queue orders them; the rest wait.
        capBound = true;
        // Recall falls as (session − last review) / stability grows: the same order, without a power each.
        for (const c of dueReview) {
          const x = node[c]!.s;
          order[c] = (x.lastReview! - session) / x.stability;
        }
        chosen = lowest(dueReview, order, maxReviewsPerDay);
        // The rest wait for tomorrow's session, overdue.
        const taken = new Set(chosen);
        for (const c of dueReview) {
          if (taken.has(c) || di + 1 >= days.length) continue;
          bucketOf[c] = di + 1;
          bucket[di + 1]!.push(c);
        }
      }
      for (const list of [others, chosen]) {
        for (const c of list) {
          if (plan.length > 0) addLoad(due[c]!, -1);
          let t = Math.max(due[c]!, session);
          for (;;) {
            answer(c, t, di);
            if (due[c]! >= end) {
              place(c);
              break;
            }
            if (plan.length > 0) addLoad(due[c]!, -1);
            t = Math.max(due[c]!, t);
          }
        }
      }
    }
    for (let c = 0; c < n; c++) recall[run * n + c] = atExam(node[c]!);
  }
  return { recall, reviews, capBound };
}

function estimate(shares: readonly number[], cards: number): RecallEstimate {
  const runs = shares.length;
  const mean = shares.reduce((a, b) => a + b, 0) / runs;
  const sd = runs > 1 ? Math.sqrt(shares.reduce((a, b) => a + (b - mean) ** 2, 0) / (runs - 1)) : 0;
  const half = runs > 1 ? (t95(runs - 1) * sd) / Math.sqrt(runs) : 0;
  return { mean, low: Math.max(0, mean - half), high: Math.min(1, mean + half), cards };
}

/** Overall, per topic and per family, from per-card recall of each run (recall[run * n + card]). */
function forecastOf(cards: readonly ForecastCard[], recall: Float64Array, runs: number): RecallForecast {
  const n = cards.length;
  const groupOf = (key: (c: ForecastCard) => string | null) => {
    const groups = new Map<string, number[]>();
    cards.forEach((c, i) => {
      const k = key(c);
      if (k === null) return;
      const g = groups.get(k) ?? [];
      g.push(i);
      groups.set(k, g);
    });
    return [...groups].sort(([a], [b]) => a.localeCompare(b));
  };
  const over = (members: readonly number[]): RecallEstimate => {
    if (members.length === 0) return { mean: 0, low: 0, high: 0, cards: 0 };
    const shares: number[] = [];
    for (let r = 0; r < runs; r++) {
      let sum = 0;
      for (const i of members) sum += recall[r * n + i]!;
      shares.push(sum / members.length);
    }
    return estimate(shares, members.length);
  };
  return {
    overall: over(cards.map((_, i) => i)),
    topics: groupOf((c) => c.topic).map(([topic, m]) => ({ topic, ...over(m) })),
    families: groupOf((c) => c.family).map(([family, m]) => ({ family, ...over(m) })),
  };
}

/** The forecast (method in the module comment). */
export function forecastReadiness(input: ForecastInput): Readiness {
  const { cards, exam, now, calendar } = input;
  const n = cards.length;
  const seed = input.seed ?? 1;
  const params = input.settings.parameters;
  const examDay = studyDayBounds(new Date(exam.at), calendar.timeZone, calendar.rolloverHour).day;
  const days = studyDays(now, exam.at, calendar);
  const runs = Math.max(1, Math.floor(input.runs ?? runsFor(n, days.length)));
  const plan = planDays(now, exam.at, calendar);
  if (days.length > 0 && plan.length !== Math.max(0, days.length - 2)) throw new Error(`readiness: ${plan.length} plan days against ${days.length} study days`);

  const stop = new Float64Array(n);
  cards.forEach((c, i) => (stop[i] = recallAt(c.state, exam.at, params)));
  const roots: Node[] = cards.map((c) => nodeOf(c.state));
  const sim = simulate(input, runs, roots, days, input.maxReviewsPerDay);
  const planned = forecastOf(cards, sim.recall, runs);
  const stopToday = forecastOf(cards, stop, 1);

  const perDay: DayLoad[] = days.map((d, i) => {
    const reviews = sim.reviews[i]! / runs;
    return { day: d.day, reviews, minutes: (reviews * input.secondsPerReview) / 60 };
  });
  const planRecall = new Float64Array(n);
  for (let r = 0; r < runs; r++) for (let i = 0; i < n; i++) planRecall[i]! += sim.recall[r * n + i]! / runs;
  const risky = cards
    .map((c, i) => ({ itemId: c.itemId, title: c.title, topic: c.topic, family: c.family, plan: planRecall[i]!, stopToday: stop[i]! }))
    .filter((c) => c.plan < exam.target)
    .sort((a, b) => a.plan - b.plan || a.itemId.localeCompare(b.itemId));

  const peakOf = (reviews: Float64Array, r: number) => Math.max(0, ...[...reviews].map((x) => x / r));
  let bestRecall = planned.overall.mean;
  let dailyLoadNeeded = peakOf(sim.reviews, runs);
  const reachable = n === 0 || planned.overall.mean >= exam.target;
  if (sim.capBound && !reachable) {
    // The best reachable with the daily limit lifted: a coarser figure, over a quarter of the runs.
    const freeRuns = Math.max(LIFTED_MIN_RUNS, Math.floor(runs / 4));
    const free = simulate(input, freeRuns, roots, days, Infinity);
    bestRecall = forecastOf(cards, free.recall, freeRuns).overall.mean;
    dailyLoadNeeded = peakOf(free.reviews, freeRuns);
  }
  const newCards = cards.filter((c) => c.state.state === State.New).length;
  const startable = input.newPerDay * Math.max(0, days.length - 1);
  let reason: string | null = null;
  if (!reachable) {
    if (days.length === 0) reason = READINESS_TEXT.examBegun;
    else if (plan.length === 0) reason = READINESS_TEXT.noDayLeft;
    else if (newCards > startable) reason = READINESS_TEXT.tooManyNew(newCards, input.newPerDay, startable);
    else if (sim.capBound) reason = READINESS_TEXT.overLimit(Math.ceil(dailyLoadNeeded), input.maxReviewsPerDay);
    else reason = READINESS_TEXT.tooFewDays(planned.overall.mean, exam.target);
  }
  return {
    runs,
    seed,
    target: exam.target,
    examDay,
    daysLeft: Math.max(0, days.length - 1),
    cards: n,
    newCards,
    secondsPerReview: input.secondsPerReview,
    plan: planned,
    stopToday,
    perDay,
    atRisk: risky.slice(0, AT_RISK_LISTED),
    atRiskTotal: risky.length,
    limits: { reachable, bestRecall, dailyLoadNeeded, reason },
    method: READINESS_TEXT.method(runs),
  };
}
