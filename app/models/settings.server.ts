/**
 * Study settings: how many cards a day, the retention FSRS aims at, the learning steps, when the
 * study day turns over and where. Read, validated (every field at once, each error at its field)
 * and saved whole or not at all; and the expected reviews a day at each retention, estimated
 * from the student's own cards (app/scheduling/workload.ts).
 */
import { and, count, eq, isNull, ne, or } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, type Db } from '../../db/client';
import { cards, items, subscriptions, users } from '../../db/schema';
import type { FieldErrors } from '../forms';
import { parseForm } from '../forms';
import { readSteps, writeSteps } from '../scheduling/steps';
import { isTimeZone, studyDay } from '../scheduling/study-day';
import { FIRST_ANSWER_RIGHT, HORIZON_DAYS, workloadByRetention, type Workload } from '../scheduling/workload';
import { SETTINGS_BOUNDS, SETTINGS_FIELDS, type StudySettingsForm } from '../study-settings';
import { cardStateOf } from './card.server';
import { schedulerSettingsOf } from './review.server';

export { SETTINGS_BOUNDS, SETTINGS_FIELDS, type StudySettingsForm };

export const SETTINGS_ERRORS = {
  wholeNumber: (what: string, min: number, max: number, got: string) => `${what} must be a whole number from ${min} to ${max}; "${got}" is not`,
  retention: (got: string) => `desired retention must be a number from 0.70 to 0.97 (0.90 keeps 9 cards in 10 recalled); "${got}" is not`,
  reviewsBelowNew: (reviews: number, fresh: number) =>
    `maximum reviews per day (${reviews}) is below new cards per day (${fresh}): each new card brings reviews of its own, so allow at least ${fresh}`,
  steps: (what: string, error: string) => `${what}: ${error}`,
  timeZone: (got: string) => `"${got}" is not a time zone this server knows: choose one from the list (such as Europe/Paris)`,
  missing: (what: string) => `${what} is missing from the form`,
  noUser: (id: number) => `no user ${id}`,
} as const;

/** A text field of the form, its absence an error naming it. */
const formText = (what: string) => z.string({ error: SETTINGS_ERRORS.missing(what) });

function wholeNumber(field: keyof typeof SETTINGS_BOUNDS, what: string) {
  const { min, max } = SETTINGS_BOUNDS[field];
  return formText(what).transform((raw, ctx) => {
    const text = raw.trim();
    const n = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
    if (!(n >= min && n <= max)) {
      ctx.addIssue({ code: 'custom', message: SETTINGS_ERRORS.wholeNumber(what, min, max, text) });
      return z.NEVER;
    }
    return n;
  });
}

function stepsField(what: string) {
  return formText(what).transform((raw, ctx) => {
    const r = readSteps(raw);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: SETTINGS_ERRORS.steps(what, r.error) });
      return z.NEVER;
    }
    return writeSteps(r.steps);
  });
}

/** The settings form: the names of its fields are the users table's columns. Steps come out normalised ("1m 10m"). */
export const StudySettingsSchema = z
  .object({
    newPerDay: wholeNumber('newPerDay', 'new cards per day'),
    reviewsPerDay: wholeNumber('reviewsPerDay', 'maximum reviews per day'),
    desiredRetention: formText('desired retention').transform((raw, ctx) => {
      const text = raw.trim();
      const n = /^(0|1)?\.\d{1,4}$|^[01]$/.test(text) ? Number(text) : NaN;
      const { min, max } = SETTINGS_BOUNDS.desiredRetention;
      if (!(n >= min && n <= max)) {
        ctx.addIssue({ code: 'custom', message: SETTINGS_ERRORS.retention(text) });
        return z.NEVER;
      }
      return n;
    }),
    learningSteps: stepsField('learning steps'),
    relearningSteps: stepsField('relearning steps'),
    rolloverHour: wholeNumber('rolloverHour', 'the hour the day starts'),
    timeZone: formText('time zone').transform((raw, ctx) => {
      const text = raw.trim();
      if (text === '' || !isTimeZone(text)) {
        ctx.addIssue({ code: 'custom', message: SETTINGS_ERRORS.timeZone(text) });
        return z.NEVER;
      }
      return text;
    }),
    maxIntervalDays: wholeNumber('maxIntervalDays', 'the maximum interval in days'),
  })
  .superRefine((s, ctx) => {
    if (s.reviewsPerDay < s.newPerDay) ctx.addIssue({ code: 'custom', path: ['reviewsPerDay'], message: SETTINGS_ERRORS.reviewsBelowNew(s.reviewsPerDay, s.newPerDay) });
  });

export type StudySettings = z.output<typeof StudySettingsSchema>;

const settingsColumns = {
  newPerDay: users.newPerDay,
  reviewsPerDay: users.reviewsPerDay,
  desiredRetention: users.desiredRetention,
  learningSteps: users.learningSteps,
  relearningSteps: users.relearningSteps,
  rolloverHour: users.rolloverHour,
  timeZone: users.timeZone,
  maxIntervalDays: users.maxIntervalDays,
};

export async function getStudySettings({ db = getDb(), userId }: { db?: Db; userId: number }): Promise<StudySettings> {
  const [row] = await db.select(settingsColumns).from(users).where(eq(users.id, userId));
  if (!row) throw new Error(SETTINGS_ERRORS.noUser(userId));
  return row;
}

/** The settings as the form shows them. */
export function formOf(s: StudySettings): StudySettingsForm {
  return {
    newPerDay: String(s.newPerDay),
    reviewsPerDay: String(s.reviewsPerDay),
    desiredRetention: s.desiredRetention.toFixed(2),
    learningSteps: s.learningSteps,
    relearningSteps: s.relearningSteps,
    rolloverHour: String(s.rolloverHour),
    timeZone: s.timeZone,
    maxIntervalDays: String(s.maxIntervalDays),
  };
}

export type SaveOutcome = { ok: true; settings: StudySettings } | { ok: false; errors: FieldErrors; form: StudySettingsForm };

/** Validates the whole form and saves it in one statement, or saves nothing and says what is wrong at each field. */
export async function saveStudySettings({ db = getDb(), userId, form }: { db?: Db; userId: number; form: FormData | URLSearchParams }): Promise<SaveOutcome> {
  const parsed = parseForm(StudySettingsSchema, form);
  if (!parsed.ok) {
    const raw = Object.fromEntries(Object.keys(SETTINGS_FIELDS).map((k) => [k, String(form.get(k) ?? '')])) as StudySettingsForm;
    return { ok: false, errors: parsed.errors, form: raw };
  }
  const [saved] = await db.update(users).set(parsed.data).where(eq(users.id, userId)).returning(settingsColumns);
  if (!saved) throw new Error(SETTINGS_ERRORS.noUser(userId));
  return { ok: true, settings: saved };
}

/** Every zone Intl offers (Node's list leaves out UTC, Stride's default), and the student's own if it is not among them. */
export function timeZoneChoices(current: string): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  const all = new Set(['UTC', ...zones]);
  if (!all.has(current)) return [current, ...all];
  return [...all];
}

export interface WorkloadEstimate {
  /** One row per compared retention, the student's own among them. */
  rows: Workload[];
  /** The cards the estimate simulated (studied, not suspended, from banks not turned off). */
  cards: number;
  newPerDay: number;
  days: number;
  /** The assumed chance a new card's first answer is right (stated on the page). */
  firstAnswerRight: number;
}

/** Per database handle (tests open many), then per student. */
const estimates = new WeakMap<Db, Map<number, { key: string; estimate: WorkloadEstimate }>>();
const MAX_CACHED_ESTIMATES = 500;

/**
 * The expected reviews a day at each compared retention, from the student's own cards. Kept per
 * student for the study day: it changes with the cards and the settings, not with each review
 * (a table takes 0.45–1 s for 5,000 cards, a cached one 6 ms).
 */
export async function workloadEstimate({ db = getDb(), userId, now }: { db?: Db; userId: number; now: Date }): Promise<WorkloadEstimate> {
  const [user] = await db.select(settingsColumns).from(users).where(eq(users.id, userId));
  if (!user) throw new Error(SETTINGS_ERRORS.noUser(userId));
  // The cards the student will meet: not suspended, from banks not turned off (a paused bank's reviews still come).
  const met = and(eq(cards.userId, userId), eq(cards.suspended, false), or(isNull(subscriptions.state), ne(subscriptions.state, 'off')));
  const bankOf = eq(items.id, cards.itemId);
  const choice = and(eq(subscriptions.userId, userId), eq(subscriptions.bankId, items.bankId));
  // In id order: the sample and its random streams are the same on either engine.
  const studied = () => db.select({ card: cards }).from(cards).innerJoin(items, bankOf).leftJoin(subscriptions, choice).where(met).orderBy(cards.id);
  // Counted first: a cache hit reads no card rows.
  const [counted] = await db.select({ n: count() }).from(cards).innerJoin(items, bankOf).leftJoin(subscriptions, choice).where(met);
  const key = [studyDay(now, user.timeZone, user.rolloverHour), counted?.n ?? 0, user.newPerDay, user.desiredRetention, user.learningSteps, user.relearningSteps, user.maxIntervalDays].join('|');
  let cache = estimates.get(db);
  if (!cache) estimates.set(db, (cache = new Map()));
  const cached = cache.get(userId);
  if (cached?.key === key) return cached.estimate;
  const rows = await studied();
  const settings = schedulerSettingsOf(user);
  const estimate: WorkloadEstimate = {
    rows: workloadByRetention({ cards: rows.map((r) => cardStateOf(r.card)), newPerDay: user.newPerDay, settings, now }),
    cards: rows.length,
    newPerDay: user.newPerDay,
    days: HORIZON_DAYS,
    firstAnswerRight: FIRST_ANSWER_RIGHT,
  };
  if (cache.size >= MAX_CACHED_ESTIMATES) cache.delete(cache.keys().next().value!);
  cache.set(userId, { key, estimate });
  return estimate;
}
