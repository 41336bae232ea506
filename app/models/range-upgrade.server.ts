/**
 * Start-up data upgrade: banks stored before ranges were explicit (docs/decisions/0011) keep
 * their meaning. Every item's JSON (`items.content`) and every saved version of a bank
 * (`bank_versions.content`: its items and the editor's YAML text) is rewritten from the legacy
 * list syntax by engine/bank/upgrade, in one transaction. Idempotent: a second run finds no list
 * and writes nothing. Code, not a migration file: the rewrite needs the engine's parser.
 */
import { eq } from 'drizzle-orm';
import { getDb, type Db } from '../../db/client';
import { bankVersions, items } from '../../db/schema';
import { upgradeBankYaml, upgradeItemRanges, upgradeStoredBank } from '../../engine/bank/upgrade';

export interface RangeUpgrade {
  /** Item rows rewritten. */
  items: number;
  /** Bank version rows rewritten (items or editor text). */
  versions: number;
}

/** Rewrites every stored legacy range list in one transaction; returns how many rows changed. */
export async function upgradeStoredRanges({ db = getDb() }: { db?: Db } = {}): Promise<RangeUpgrade> {
  return db.transaction(async (tx) => {
    let itemCount = 0;
    let versionCount = 0;
    for (const row of await tx.select({ id: items.id, content: items.content }).from(items).where(eq(items.kind, 'generated'))) {
      const stored = parseJson(row.content);
      if (stored === undefined) continue;
      const up = upgradeItemRanges(stored);
      if (!up.changed) continue;
      await tx.update(items).set({ content: JSON.stringify(up.item) }).where(eq(items.id, row.id));
      itemCount++;
    }
    for (const row of await tx.select({ id: bankVersions.id, content: bankVersions.content }).from(bankVersions)) {
      const stored = parseJson(row.content) as { items?: unknown; yaml?: unknown } | undefined;
      if (stored === undefined || stored === null || typeof stored !== 'object') continue;
      const up = upgradeStoredBank(stored);
      let bank = up.bank;
      let changed = up.changed;
      if (typeof bank.yaml === 'string') {
        const text = upgradeBankYaml(bank.yaml);
        if (text.changed) {
          bank = { ...bank, yaml: text.text };
          changed = true;
        }
      }
      if (!changed) continue;
      await tx.update(bankVersions).set({ content: JSON.stringify(bank) }).where(eq(bankVersions.id, row.id));
      versionCount++;
    }
    return { items: itemCount, versions: versionCount };
  });
}

/** Stored JSON, or undefined when a row does not hold JSON (left for the reader to report). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
