import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { families } from '../../../engine/families';
import { parseBank } from '../../../engine/bank/parse';
import { completionContext, describeAt, engineProblem, keysAt, mergeProblems, parseText, pathAtPosition, pathOf, schemaProblems, valuesAt, withFamilies, type JsonSchema } from './code-editor-schema';

const FILE = JSON.parse(readFileSync('content/schema/bank.schema.json', 'utf8')) as JsonSchema;
const SCHEMA = withFamilies(FILE, families.map((f) => ({ id: f.id, title: f.title })));

const BANK = `id: demo
title: Demo
description: A demo.
version: 1.0.0
items:
  - id: fact
    kind: basic
    topic: history
    tags: [alexnet]
    front: What?
    back: That.
  - id: gen
    kind: generated
    topic: conv-arithmetic
    tags: [alexnet]
    title: Conv output
    family: conv-output-size
`;

const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;
const at = (text: string, marker: string) => text.indexOf(marker) + marker.length;

describe('the bank schema read against YAML text', () => {
  it('finds nothing wrong with a valid bank, and every bank of content/ passes', () => {
    expect(schemaProblems(SCHEMA, BANK)).toEqual([]);
    for (const name of ['bank.yaml', 'generated.yaml', 'alexnet.yaml', 'conv-basics.yaml']) {
      expect(schemaProblems(SCHEMA, readFileSync(`content/banks/cs231n/${name}`, 'utf8')), name).toEqual([]);
    }
  });

  it('offers the family ids at a family: key, with their titles', () => {
    const text = BANK.replace('family: conv-output-size', 'family: conv');
    const context = completionContext(text, at(text, 'family: conv'));
    expect(context).toEqual({ kind: 'value', path: ['items', 1, 'family'], from: at(text, 'family: ') });
    const values = valuesAt(SCHEMA, parseText(text).value, context!.path);
    expect(values.map((v) => v.value)).toEqual(families.map((f) => f.id));
    expect(values.find((v) => v.value === 'conv-output-size')?.label).toBe(families.find((f) => f.id === 'conv-output-size')!.title);
    // An empty value too.
    const empty = BANK.replace('family: conv-output-size', 'family: ');
    expect(completionContext(empty, at(empty, 'family: '))).toMatchObject({ kind: 'value', path: ['items', 1, 'family'] });
  });

  it('offers the keys of the item kind being written, without those already there', () => {
    const text = `${BANK}    diff`;
    const context = completionContext(text, text.length);
    expect(context).toMatchObject({ kind: 'key', path: ['items', 1] });
    const keys = keysAt(SCHEMA, parseText(BANK).value, context!.path).map((k) => k.key).filter((k) => !(context as { present: string[] }).present.includes(k));
    expect(keys.sort()).toEqual(['difficulty', 'erratum', 'ranges', 'source', 'tolerance']);
    const next = `${BANK}  - `;
    expect(completionContext(next, next.length)).toMatchObject({ kind: 'key', path: ['items', 2] });
  });

  it('underlines an unknown family at its line, and an unknown key at the key', () => {
    const text = BANK.replace('family: conv-output-size', 'family: conv-outptu-size').replace('    back: That.', '    back: That.\n    bakc: again');
    const problems = schemaProblems(SCHEMA, text);
    expect(problems.map((p) => [lineOf(text, p.from), text.slice(p.from, p.to)])).toEqual([
      [12, 'bakc'],
      [18, 'conv-outptu-size'],
    ]);
    expect(problems[1]!.message).toMatch(/^'conv-outptu-size' is not allowed here; one of: .*conv-output-size/);
  });

  it('names a wrong kind once, at the kind', () => {
    const text = BANK.replace('kind: basic', 'kind: basik');
    const problems = schemaProblems(SCHEMA, text);
    expect(problems).toHaveLength(1);
    expect(text.slice(problems[0]!.from, problems[0]!.to)).toBe('basik');
  });

  it('reports one YAML typo as one problem, at its line', () => {
    const text = BANK.replace('tags: [alexnet]', 'tags: [alexnet');
    const problems = schemaProblems(SCHEMA, text);
    expect(problems).toHaveLength(1);
    // Where the parser notices it (the line after the open list), the same line the server's check names.
    const engine = parseBank({ files: [{ name: 'bank.yaml', text }] });
    expect(engine.ok ? [] : engine.errors.map((e) => e.line)).toEqual([10]);
    expect(lineOf(text, problems[0]!.from)).toBe(10);
  });

  it('describes the key under the cursor from the schema', () => {
    const path = pathAtPosition(BANK, at(BANK, '    fam'));
    expect(path).toEqual(['items', 1, 'family']);
    expect(describeAt(SCHEMA, parseText(BANK).value, path!)).toBe('A family id from `stride families`.');
  });

  it("places each of the engine's errors at its line, through its path", () => {
    const text = BANK.replace('family: conv-output-size', 'family: nope').replace('  - id: fact', '  - id: fact\n    source: ""');
    const result = parseBank({ files: [{ name: 'bank.yaml', text }] });
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    const parsed = parseText(text);
    const placed = errors.map((e) => engineProblem(text, parsed, e)).map((p) => [lineOf(text, p.from), text.slice(p.from, p.to)]);
    expect(placed).toEqual([
      [7, '""'],
      [18, 'nope'],
    ]);
    // Without a line (a page put back in its bank), by path alone, the page's first item being the bank's 30th.
    const unplaced = engineProblem(text, parsed, { path: 'bank.yaml: items[31].family', message: 'x' }, 30);
    expect(text.slice(unplaced.from, unplaced.to)).toBe('nope');
    const gate = engineProblem(text, parsed, { path: 'items.gen', message: 'preview: x' });
    expect(lineOf(text, gate.from)).toBe(13);
    expect(pathOf('bank.yaml: items[3].ranges["a b"]')).toEqual(['items', 3, 'ranges', 'a b']);
  });

  it('keeps one problem per cause when the engine and the schema see the same mistake', () => {
    const text = BANK.replace('family: conv-output-size', 'family: nope');
    const parsed = parseText(text);
    const result = parseBank({ files: [{ name: 'bank.yaml', text }] });
    const engine = (result.ok ? [] : result.errors).map((e) => engineProblem(text, parsed, e));
    const merged = mergeProblems(text, schemaProblems(SCHEMA, text, parsed), engine);
    expect(merged).toHaveLength(1);
    expect(merged[0]!.message).toMatch(/^unknown family 'nope'/);
  });
});
