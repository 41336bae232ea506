/**
 * `optimize <email>`: fits the student's FSRS parameters now, in this process (the server's
 * worker does the same off its request path), and prints the run: what it read, the held-out
 * figures of the fitted set, the set it would replace and the defaults, whether it was kept and
 * why, and which set schedules the student now. DATABASE_URL or DATABASE_PATH selects the database.
 */
import { executeRun, parameterStatus, requestRun } from '../../app/models/parameters.server';
import { getUserByEmail } from '../../app/models/user.server';
import { CommandFailure, UsageError, type Command } from '../cli';
import { openAppDatabase } from './user';

const USAGE = 'optimize <email>';

export const OPTIMIZE_CLI_ERRORS = {
  unknownEmail: (email: string) => `no account has the email ${email}`,
  busy: (runId: number) => `run ${runId} of this student is already running in another process: wait for it (stride optimize prints it once it is done)`,
} as const;

const figure = (x: number | null) => (x === null ? '—' : x.toFixed(4));

export const optimize: Command = {
  name: 'optimize',
  summary: "fits a student's FSRS parameters now and prints the run: held-out log loss and RMSE(bins), kept or not, and why",
  usage: USAGE,
  flags: [],
  async run(args) {
    const [email, ...rest] = args.positionals;
    if (!email) throw new UsageError(`missing <email>; usage: stride ${USAGE}`);
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'; usage: stride ${USAGE}`);
    const { database } = await openAppDatabase();
    try {
      const { db } = database;
      const user = await getUserByEmail({ db, email });
      if (!user) throw new UsageError(OPTIMIZE_CLI_ERRORS.unknownEmail(email.trim().toLowerCase()));
      const { runId } = await requestRun({ db, userId: user.id }, { trigger: 'manual', now: new Date() });
      const run = await executeRun({ db, runId, now: new Date() });
      if (!run) throw new CommandFailure(OPTIMIZE_CLI_ERRORS.busy(runId));
      const status = await parameterStatus({ db, userId: user.id });
      const json = {
        email: user.email,
        run: { ...run, parameters: run.parameters === null ? null : (JSON.parse(run.parameters) as number[]), baselineParameters: run.baselineParameters === null ? null : (JSON.parse(run.baselineParameters) as number[]) },
        inUse: { choice: status.choice, source: status.source, runId: status.runId, className: status.className, reason: status.reason },
      };
      const lines = [
        `${user.email}: run ${run.id}, ${run.status}, ${run.reviewsUsed ?? 0} reviews (${run.trainItems ?? 0} items trained on, ${run.testItems ?? 0} held-out items judged on)`,
        `  log loss: fitted ${figure(run.logLoss)}, set in use ${figure(run.baselineLogLoss)}, defaults ${figure(run.defaultLogLoss)}`,
        `  RMSE(bins): fitted ${figure(run.rmseBins)}, set in use ${figure(run.baselineRmseBins)}, defaults ${figure(run.defaultRmseBins)}`,
        // The reason starts with its verdict ("kept: …", "not kept: …", "too few …").
        `  ${run.reason ?? (run.kept ? 'kept' : 'not kept')}`,
        `In use: ${status.reason}`,
      ];
      return { json, text: lines.join('\n'), ok: run.status === 'done' };
    } finally {
      await database.close();
    }
  },
};
