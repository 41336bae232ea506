/** Who may see or change what. A refusal is an AccessDenied, which a route answers with 403. */
import { eq, inArray, or } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { banks, classBanks, memberships } from '../../db/schema';

export class AccessDenied extends Error {
  readonly status = 403;
  constructor(message: string) {
    super(message);
    this.name = 'AccessDenied';
  }
}

/**
 * The condition "a bank this user studies": the content/ banks, and the banks published to a
 * class the user belongs to.
 */
export function studiedBankCondition(db: Db, userId: number) {
  const published = db
    .select({ bankId: classBanks.bankId })
    .from(classBanks)
    .innerJoin(memberships, eq(memberships.classId, classBanks.classId))
    .where(eq(memberships.userId, userId));
  return or(eq(banks.source, 'content'), inArray(banks.id, published));
}
