/**
 * The files of a bank on disk: a folder (bank.yaml and items/…, read in name order, two levels
 * deep) or one file, oversized files refused before they are read. The file system is an
 * argument, as time is elsewhere in engine/: the server (app/content.server.ts) and the CLI
 * (`stride bank check`) both pass `node:fs`, so the walk and its caps have one home and neither
 * edge imports the other (docs/decisions/0016-heavy-bank-work.md).
 */
import type { BankError, BankFile } from './parse';
import { LIMITS } from './schema';

/** The synchronous calls the walk makes; `node:fs` is one. */
export interface BankFileSystem {
  statSync(path: string): { size: number; isDirectory(): boolean };
  readdirSync(path: string, options: { withFileTypes: true }): { name: string; isDirectory(): boolean; isFile(): boolean }[];
  readFileSync(path: string, encoding: 'utf8'): string;
}

const BANK_FILE = /\.ya?ml$/;
/** Folders below the bank folder that are read (items/…); deeper ones are not. */
const MAX_FOLDER_DEPTH = 2;

/** The files of the bank at `target` (names relative to the folder, '/'-separated), with an error per file refused. */
export function readBankFiles(target: string, fs: BankFileSystem): { files: BankFile[]; errors: BankError[] } {
  const errors: BankError[] = [];
  const files: BankFile[] = [];
  const read = (full: string, name: string) => {
    const size = fs.statSync(full).size;
    if (size > LIMITS.fileBytes) errors.push({ path: name, message: `file is ${size.toLocaleString('en-US')} bytes; the limit is ${LIMITS.fileBytes.toLocaleString('en-US')} bytes (2 MB)` });
    else files.push({ name, text: fs.readFileSync(full, 'utf8') });
  };
  if (!fs.statSync(target).isDirectory()) {
    read(target, target.split(/[\\/]/).pop() ?? target);
    return { files, errors };
  }
  const walk = (dir: string, prefix: string, depth: number) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = `${dir}/${entry.name}`;
      if (entry.isDirectory() && depth < MAX_FOLDER_DEPTH) walk(full, `${prefix}${entry.name}/`, depth + 1);
      else if (entry.isFile() && BANK_FILE.test(entry.name)) {
        if (files.length + errors.length >= LIMITS.files) {
          errors.push({ path: '(bank)', message: `more than ${LIMITS.files} files in the bank folder` });
          return;
        }
        read(full, `${prefix}${entry.name}`);
      }
    }
  };
  walk(target.replace(/[\\/]+$/, ''), '', 1);
  return { files, errors };
}
