/**
 * The banks of content/: read from disk, validated by engine/bank, loaded into the database at
 * start. An invalid bank stops the start with every error and its path; nothing is half-loaded
 * (each bank is written in one transaction by loadContentBank).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import path from 'node:path';
import { parseBank, type BankFile, type BankError } from '../engine/bank/parse';
import { LIMITS } from '../engine/bank/schema';
import type { Bank } from '../engine/bank/schema';
import { families } from '../engine/families';
import type { Db } from '../db/client';
import { loadContentBank, type BankInput } from './models/bank.server';

export const CONTENT_BANKS_DIR = path.resolve(process.cwd(), 'content/banks');

const BANK_FILE = /\.ya?ml$/;
/** Folders below the bank folder that are read (items/…); deeper ones are not. */
const MAX_FOLDER_DEPTH = 2;

/** The files of a bank on disk, oversized ones refused before they are read. */
export function readBankFiles(path: string): { files: BankFile[]; errors: BankError[] } {
  const errors: BankError[] = [];
  const files: BankFile[] = [];
  const read = (full: string, name: string) => {
    const size = statSync(full).size;
    if (size > LIMITS.fileBytes) errors.push({ path: name, message: `file is ${size.toLocaleString('en-US')} bytes; the limit is ${LIMITS.fileBytes.toLocaleString('en-US')} bytes (2 MB)` });
    else files.push({ name, text: readFileSync(full, 'utf8') });
  };
  if (!statSync(path).isDirectory()) {
    read(path, basename(path));
    return { files, errors };
  }
  const walk = (dir: string, depth: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory() && depth < MAX_FOLDER_DEPTH) walk(full, depth + 1);
      else if (entry.isFile() && BANK_FILE.test(entry.name)) {
        if (files.length + errors.length >= LIMITS.files) {
          errors.push({ path: '(bank)', message: `more than ${LIMITS.files} files in the bank folder` });
          return;
        }
        read(full, relative(path, full).split(sep).join('/'));
      }
    }
  };
  walk(path, 1);
  return { files, errors };
}

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
  const read = readBankFiles(target);
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
export function loadContentBanks({ db, dir = CONTENT_BANKS_DIR, now = new Date() }: { db?: Db; dir?: string; now?: Date } = {}): string[] {
  const loaded: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const target = path.join(dir, name);
    if (!statSync(target).isDirectory()) continue;
    loadContentBank({ db, bank: bankInputOf(readBank(target)), now });
    loaded.push(name);
  }
  return loaded;
}
