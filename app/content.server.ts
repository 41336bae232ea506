/**
 * The banks of content/: read from disk, validated by engine/bank, loaded into the database at
 * start. An invalid bank stops the start with every error and its path; nothing is half-loaded
 * (each bank is written in one transaction by loadContentBank).
 */
import fs, { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { readBankFiles } from '../engine/bank/files';
import { parseBank, type BankError } from '../engine/bank/parse';
import type { Bank } from '../engine/bank/schema';
import { families } from '../engine/families';
import type { Db } from '../db/client';
import { loadContentBank, type BankInput } from './models/bank.server';

export const CONTENT_BANKS_DIR = path.resolve(process.cwd(), 'content/banks');

export class InvalidBankError extends Error {
  override name = 'InvalidBankError';
  constructor(
    readonly bankPath: string,
    readonly errors: BankError[],
  ) {
    super(`bank ${bankPath} is invalid:\n${errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`);
  }
}

/** Parses the bank at `target` with the engine's families; throws InvalidBankError listing every error. */
export function readBank(target: string): Bank {
  const read = readBankFiles(target, fs);
  if (read.errors.length > 0) throw new InvalidBankError(target, read.errors);
  const result = parseBank({ files: read.files }, { families });
  if (!result.ok) throw new InvalidBankError(target, result.errors);
  return result.bank;
}

/** The database's view of a parsed bank (it keeps each item whole as JSON). */
export function bankInputOf(bank: Bank): BankInput {
  return { id: bank.id, title: bank.title, items: [...bank.items] };
}

/** Loads every bank folder under content/banks into the database; returns their ids. */
export async function loadContentBanks({ db, dir = CONTENT_BANKS_DIR, now = new Date() }: { db?: Db; dir?: string; now?: Date } = {}): Promise<string[]> {
  const loaded: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const target = path.join(dir, name);
    if (!statSync(target).isDirectory()) continue;
    await loadContentBank({ db, bank: bankInputOf(readBank(target)), now });
    loaded.push(name);
  }
  return loaded;
}
