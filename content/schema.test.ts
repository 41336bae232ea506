import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BANK_SCHEMA_PATH } from '../bin/export-bank-schema';
import { bankJsonSchema, bankJsonSchemaText, LIMITS, topics } from '../engine/bank/schema';

describe('content/schema/bank.schema.json', () => {
  it('equals a fresh export of the zod schema (run `npx tsx bin/export-bank-schema.ts` when it differs)', () => {
    expect(readFileSync(BANK_SCHEMA_PATH, 'utf8')).toBe(bankJsonSchemaText());
  });

  it('carries the strictness and caps that editors should show', () => {
    const schema = bankJsonSchema() as { anyOf: { additionalProperties?: boolean }[]; $defs: Record<string, Record<string, unknown>> };
    expect(schema.anyOf.every((s) => s.additionalProperties === false)).toBe(true);
    expect(schema.$defs.topic!.enum).toEqual([...topics]);
    expect(schema.$defs.items!.maxItems).toBe(LIMITS.items);
    const range = schema.$defs.range as { items: { maximum: number; minimum: number }; maxItems: number };
    expect([range.items.minimum, range.items.maximum, range.maxItems]).toEqual([0, LIMITS.rangeMagnitude, LIMITS.choices]);
    for (const kind of ['basicItem', 'clozeItem', 'choiceItem', 'generatedItem']) expect(schema.$defs[kind]!.additionalProperties, kind).toBe(false);
  });
});
