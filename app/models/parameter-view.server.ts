/**
 * The scheduler-parameter section of /settings and the class page's parameter panel, as plain
 * values for the page: optimizer runs read through parameters.server.ts, their sets parsed, their
 * times written in the viewer's time zone on the server (so the page and its hydration agree).
 */
import { and, count, desc, eq, isNotNull } from 'drizzle-orm';
import { default_w } from 'ts-fsrs';
import { z } from 'zod';
import { getDb, type Db } from '../../db/client';
import { classes, memberships, optimizerRuns, reviews, users, type OptimizerRunRow } from '../../db/schema';
import { parameterChoices, type ParameterChoice } from '../../db/schema-shared';
import { countOf } from '../../engine/answers';
import { parseForm } from '../forms';
import { MIN_REVIEWS } from '../scheduling/optimizer';
import { parseParameters } from '../scheduling/scheduler';
import { chooseParameters, classRunsOf, ParameterChoiceRefused, parameterStatus, requestRun, runsOf } from './parameters.server';

/** Log loss and RMSE (bins) of one parameter set on a run's held-out reviews. */
export interface Metrics {
  logLoss: number;
  rmseBins: number;
}

export interface RunView {
  id: number;
  /** When it was asked for, ISO, and as the viewer reads it. */
  requestedAt: string;
  when: string;
  trigger: OptimizerRunRow['trigger'];
  status: OptimizerRunRow['status'];
  progressDone: number;
  progressTotal: number;
  reviewsUsed: number | null;
  trainItems: number | null;
  testItems: number | null;
  membersUsed: number | null;
  fitted: Metrics | null;
  /** The set the fit was compared with (the reason names it: the set in use then, or the defaults). */
  baseline: Metrics | null;
  defaults: Metrics | null;
  kept: boolean;
  reason: string | null;
  /** The fitted set (21 numbers), null when the run was refused, failed or has not finished. */
  parameters: number[] | null;
}

function metricsOf(logLoss: number | null, rmseBins: number | null): Metrics | null {
  return logLoss === null || rmseBins === null ? null : { logLoss, rmseBins };
}

/** A run as the table shows it; `timeZone` is the viewer's. */
export function runView(row: OptimizerRunRow, timeZone: string): RunView {
  const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone });
  return {
    id: row.id,
    requestedAt: row.requestedAt.toISOString(),
    when: when.format(row.requestedAt),
    trigger: row.trigger,
    status: row.status,
    progressDone: row.progressDone,
    progressTotal: row.progressTotal,
    reviewsUsed: row.reviewsUsed,
    trainItems: row.trainItems,
    testItems: row.testItems,
    membersUsed: row.membersUsed,
    fitted: metricsOf(row.logLoss, row.rmseBins),
    baseline: metricsOf(row.baselineLogLoss, row.baselineRmseBins),
    defaults: metricsOf(row.defaultLogLoss, row.defaultRmseBins),
    kept: row.kept,
    reason: row.reason,
    parameters: row.parameters === null ? null : parseParameters(row.parameters),
  };
}

/** ts-fsrs's default set, to show beside a fitted one when the defaults are in use. */
export const DEFAULT_PARAMETERS: readonly number[] = [...default_w];

/** The student's section: the set in use and why, their runs, and the one in flight. */
export interface StudentParameters {
  /** When the server read it (epoch ms): the newer of two views wins. */
  at: number;
  choice: ParameterChoice;
  runId: number | null;
  source: 'default' | 'own' | 'class';
  className: string | null;
  reason: string | null;
  reviews: number;
  minReviews: number;
  /** The set in use (the defaults' numbers when it is the defaults). */
  parameters: number[];
  running: RunView | null;
  runs: RunView[];
  /** The newest kept run of a class the student belongs to: a set they may choose although it is not their own. */
  classRun: { run: RunView; className: string } | null;
}

/** A member of a class, as the instructor's panel says which set schedules them. */
export interface MemberParameters {
  id: number;
  displayName: string;
  reviews: number;
  /** On one of this class's sets, their own, another class's, or the defaults. */
  source: 'class' | 'own' | 'other-class' | 'default';
  reason: string | null;
}

/** The class page's panel: the class's runs, the one in flight, and which members the class set schedules. */
export interface ClassParameters {
  at: number;
  classId: number;
  pooledReviews: number;
  minReviews: number;
  running: RunView | null;
  runs: RunView[];
  members: MemberParameters[];
}

/** What a parameter form's POST answers: a line at the form it came from. */
export interface ParameterReply {
  section: 'parameters';
  ok: boolean;
  /** The form it answers: 'fit', or 'choose-auto' / 'choose-default' / 'choose-run-<id>'. */
  form: string;
  message: string;
}

export const PARAMETER_REPLIES = {
  queued: 'Your fit is queued: its progress shows below.',
  classQueued: 'The class’s fit is queued: its progress shows below.',
  tooFew: (reviews: number, min: number) => `Nothing was queued: you have ${countOf(reviews, 'review')}, and a fit needs ${min}.`,
  classTooFew: (reviews: number, min: number) => `Nothing was queued: the members have ${countOf(reviews, 'review')} between them, and a fit needs ${min}.`,
  inFlight: 'Nothing was queued: a fit is already under way.',
  badForm: 'Nothing was changed: that form was not one this page sends.',
  chosen: { auto: 'Stride now chooses your set automatically.', default: 'You are now scheduled with the defaults.', run: (id: number) => `You are now scheduled with run ${id}’s set.` },
} as const;

const StudentIntent = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('fit') }),
  z.object({ intent: z.literal('choose'), choice: z.enum(parameterChoices), runId: z.coerce.number().int().positive().max(2 ** 31).optional() }),
]);

/** The intents of the parameter section's forms (the study-settings form sends none). */
export const STUDENT_PARAMETER_INTENTS: readonly string[] = ['fit', 'choose'];
/** The class page's intent for its fit button. */
export const CLASS_FIT_INTENT = 'fit-parameters';

/** The newest kept class run of `userId`'s classes, and its class's name. */
async function latestClassRun(db: Db, userId: number) {
  const [row] = await db
    .select({ run: optimizerRuns, className: classes.name })
    .from(optimizerRuns)
    .innerJoin(memberships, and(eq(memberships.classId, optimizerRuns.classId), eq(memberships.userId, userId)))
    .innerJoin(classes, eq(classes.id, optimizerRuns.classId))
    .where(and(eq(optimizerRuns.kept, true), isNotNull(optimizerRuns.parameters)))
    .orderBy(desc(optimizerRuns.requestedAt), desc(optimizerRuns.id))
    .limit(1);
  return row ?? null;
}

/** The student's section of /settings; times in `timeZone`. */
export async function studentParameters({ db = getDb(), userId, timeZone, now }: { db?: Db; userId: number; timeZone: string; now: Date }): Promise<StudentParameters> {
  const status = await parameterStatus({ db, userId });
  const runs = await runsOf({ db, userId });
  const classRun = await latestClassRun(db, userId);
  return {
    at: now.getTime(),
    choice: status.choice,
    runId: status.runId,
    source: status.source,
    className: status.className,
    reason: status.reason,
    reviews: status.reviews,
    minReviews: status.minReviews,
    parameters: status.parameters ?? [...DEFAULT_PARAMETERS],
    running: status.running ? runView(status.running, timeZone) : null,
    runs: runs.map((r) => runView(r, timeZone)),
    classRun: classRun ? { run: runView(classRun.run, timeZone), className: classRun.className } : null,
  };
}

/**
 * A POST of the section's forms: queue a fit (refused below the threshold or while one is in
 * flight), or choose a set (chooseParameters refuses another's run, and nothing changes).
 */
export async function studentParameterAction({ db = getDb(), userId, form, now }: { db?: Db; userId: number; form: FormData; now: Date }): Promise<ParameterReply> {
  const parsed = parseForm(StudentIntent, form);
  const formName = form.get('intent') === 'choose' ? `choose-${String(form.get('choice'))}${form.get('choice') === 'run' ? `-${String(form.get('runId'))}` : ''}` : 'fit';
  const reply = (ok: boolean, message: string, name = formName): ParameterReply => ({ section: 'parameters', ok, form: name, message });
  if (!parsed.ok) return reply(false, PARAMETER_REPLIES.badForm);
  const input = parsed.data;
  if (input.intent === 'fit') {
    const status = await parameterStatus({ db, userId });
    if (status.reviews < status.minReviews) return reply(false, PARAMETER_REPLIES.tooFew(status.reviews, status.minReviews));
    if (status.running) return reply(false, PARAMETER_REPLIES.inFlight);
    await requestRun({ db, userId }, { trigger: 'manual', now });
    return reply(true, PARAMETER_REPLIES.queued);
  }
  if (input.choice === 'run' && input.runId === undefined) return reply(false, PARAMETER_REPLIES.badForm);
  try {
    await chooseParameters({ db, userId, choice: input.choice, ...(input.runId !== undefined && input.choice === 'run' ? { runId: input.runId } : {}), now });
  } catch (err) {
    if (err instanceof ParameterChoiceRefused) return reply(false, `Nothing was changed: ${err.message}.`);
    throw err;
  }
  return reply(true, input.choice === 'run' ? PARAMETER_REPLIES.chosen.run(input.runId!) : PARAMETER_REPLIES.chosen[input.choice]);
}

/** The class page's panel; times in the instructor's `timeZone`. */
export async function classParameters({ db = getDb(), classId, instructorId, timeZone, now }: { db?: Db; classId: number; instructorId: number; timeZone: string; now: Date }): Promise<ClassParameters> {
  const runs = await classRunsOf({ db, classId, instructorId });
  const members = await db
    .select({ id: users.id, displayName: users.displayName, reason: users.parameterReason, runUser: optimizerRuns.userId, runClass: optimizerRuns.classId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(optimizerRuns, eq(optimizerRuns.id, users.parameterRunId))
    .where(eq(memberships.classId, classId))
    .orderBy(users.displayName, users.id);
  const counts = await db
    .select({ userId: reviews.userId, n: count() })
    .from(reviews)
    .innerJoin(memberships, and(eq(memberships.userId, reviews.userId), eq(memberships.classId, classId)))
    .groupBy(reviews.userId);
  const reviewsOf = new Map(counts.map((c) => [c.userId, Number(c.n)]));
  const running = runs.find((r) => r.status === 'queued' || r.status === 'running') ?? null;
  return {
    at: now.getTime(),
    classId,
    pooledReviews: counts.reduce((sum, c) => sum + Number(c.n), 0),
    minReviews: MIN_REVIEWS,
    running: running ? runView(running, timeZone) : null,
    runs: runs.map((r) => runView(r, timeZone)),
    members: members.map((m) => ({
      id: m.id,
      displayName: m.displayName,
      reviews: reviewsOf.get(m.id) ?? 0,
      source: m.runClass === classId ? 'class' : m.runUser === m.id ? 'own' : m.runClass !== null ? 'other-class' : 'default',
      reason: m.reason,
    })),
  };
}

/** The class page's fit button: queue a run of the pooled history, refused below the threshold or while one is in flight. */
export async function classFitAction({ db = getDb(), classId, instructorId, now }: { db?: Db; classId: number; instructorId: number; now: Date }): Promise<ParameterReply> {
  const view = await classParameters({ db, classId, instructorId, timeZone: 'UTC', now });
  const reply = (ok: boolean, message: string): ParameterReply => ({ section: 'parameters', ok, form: 'class-fit', message });
  if (view.pooledReviews < view.minReviews) return reply(false, PARAMETER_REPLIES.classTooFew(view.pooledReviews, view.minReviews));
  if (view.running) return reply(false, PARAMETER_REPLIES.inFlight);
  await requestRun({ db, classId, instructorId }, { trigger: 'manual', now });
  return reply(true, PARAMETER_REPLIES.classQueued);
}
