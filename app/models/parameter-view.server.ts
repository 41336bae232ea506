/**
 * The scheduler-parameter section of /settings and the class page's parameter panel, as plain
 * values for the page: optimizer runs read through parameters.server.ts, their sets parsed, their
 * times written in the viewer's time zone on the server (so the page and its hydration agree).
 */
import { default_w } from 'ts-fsrs';
import type { OptimizerRunRow } from '../../db/schema';
import type { ParameterChoice } from '../../db/schema-shared';
import { parseParameters } from '~/scheduling/scheduler';

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
  /** The set the fit was compared with: its metrics, and what it was ("run 3's set", "the defaults"). */
  baseline: Metrics | null;
  baselineName: string;
  defaults: Metrics | null;
  kept: boolean;
  reason: string | null;
  /** The fitted set (21 numbers), null when the run was refused, failed or has not finished. */
  parameters: number[] | null;
}

export function metricsOf(logLoss: number | null, rmseBins: number | null): Metrics | null {
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
    baselineName: row.baselineParameters === null ? 'the defaults' : row.baselineRunId === null ? 'the set then in use' : `run ${row.baselineRunId}'s set`,
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
  /** A class run the student may choose although it is not their own (the one in use, when it is a class's). */
  classRun: RunView | null;
}

/** A member of a class, as the instructor's panel says which set schedules them. */
export interface MemberParameters {
  id: number;
  displayName: string;
  reviews: number;
  /** On one of this class's sets, their own, or the defaults. */
  source: 'class' | 'own' | 'default';
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
