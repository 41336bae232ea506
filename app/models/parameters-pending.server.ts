/** TEMPORARY: helper B's signatures (app/models/parameters.server.ts on h-runs) until that branch is merged. Removed then. */
import type { Db } from '../../db/client';
import type { OptimizerRunRow } from '../../db/schema';
import type { ParameterChoice } from '../../db/schema-shared';

const pending = (): never => {
  throw new Error('parameters.server.ts is not merged yet');
};
export async function requestRun(_owner: { db?: Db; userId: number } | { db?: Db; classId: number; instructorId: number }, _o: { trigger: 'manual' | 'auto'; now: Date }): Promise<{ runId: number }> {
  return pending();
}
export async function chooseParameters(_o: { db?: Db; userId: number; choice: ParameterChoice; runId?: number; now: Date }): Promise<void> {
  return pending();
}
export async function parameterStatus(_o: { db?: Db; userId: number }): Promise<{
  choice: ParameterChoice;
  runId: number | null;
  source: 'default' | 'own' | 'class';
  className: string | null;
  parameters: number[] | null;
  reason: string | null;
  reviews: number;
  minReviews: number;
  running: OptimizerRunRow | null;
}> {
  return pending();
}
export async function runsOf(_o: { db?: Db; userId: number }): Promise<OptimizerRunRow[]> {
  return pending();
}
export async function classRunsOf(_o: { db?: Db; classId: number; instructorId: number }): Promise<OptimizerRunRow[]> {
  return pending();
}
