/**
 * Writes content/schema/bank.schema.json from the zod schema (engine/bank/schema.ts), for
 * editors (YAML language servers) to validate bank files as they are typed.
 * Run: npx tsx bin/export-bank-schema.ts — a test fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bankJsonSchemaText } from '../engine/bank/schema';

export const BANK_SCHEMA_PATH = fileURLToPath(new URL('../content/schema/bank.schema.json', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(BANK_SCHEMA_PATH, bankJsonSchemaText());
  process.stdout.write(`wrote ${BANK_SCHEMA_PATH}\n`);
}
