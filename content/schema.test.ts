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
    // A range is explicit: a number, {min, max[, step]} or {choices}; no bare list an editor would accept.
    type Json = { type?: string; minimum?: number; maximum?: number; maxItems?: number; required?: string[]; additionalProperties?: boolean; properties?: Record<string, Json> };
    const [fixed, between, choices] = (schema.$defs.range as { anyOf: Json[] }).anyOf;
    expect([fixed!.type, fixed!.minimum, fixed!.maximum]).toEqual(['number', 0, LIMITS.rangeMagnitude]);
    expect([between!.required, between!.additionalProperties, between!.properties!.max!.maximum]).toEqual([['min', 'max'], false, LIMITS.rangeMagnitude]);
    expect([choices!.required, choices!.properties!.choices!.maxItems]).toEqual([['choices'], LIMITS.choices]);
    expect((schema.$defs.generatedItem as { required: string[] }).required).not.toContain('difficulty');
    for (const kind of ['basicItem', 'clozeItem', 'choiceItem', 'generatedItem']) expect(schema.$defs[kind]!.additionalProperties, kind).toBe(false);
  });
});
