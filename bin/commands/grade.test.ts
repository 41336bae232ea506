import { describe, expect, it } from 'vitest';
import { formatAnswer } from '../../engine/answers';
import { families, variantOf } from '../../engine/families';
import { parseArgs } from '../cli';
import { grade } from './grade';

const run = (argv: string[]) => grade.run(parseArgs(argv, grade)) as { json: any; text: string };

describe('stride grade', () => {
  it('prints { correct, readAs, feedback, misconception, misconceptions, status }', () => {
    const v = variantOf('fc-params', 5);
    const right = run(['fc-params', '--seed', '5', '--answer', v.answer.display, '--json']).json;
    expect(Object.keys(right)).toEqual(['correct', 'readAs', 'feedback', 'misconception', 'misconceptions', 'status']);
    expect(right).toMatchObject({ correct: true, misconception: null, misconceptions: [], status: 'correct' });
  });

  it('a rounded answer to an exact count is wrong, diagnosed "rounded" in both keys', () => {
    // The first conv-params variant whose count, in thousands, is not whole: "35K" for 34,944.
    const seed = Array.from({ length: 100 }, (_, s) => s).find((s) => {
      const a = variantOf('conv-params', s).answer;
      return a.kind === 'count' && a.value > 10_000 && a.value % 1000 !== 0;
    })!;
    const v = variantOf('conv-params', seed);
    const value = v.answer.kind === 'count' ? v.answer.value : NaN;
    const out = run(['conv-params', '--seed', String(seed), '--answer', `${Math.round(value / 1000)}K`]).json;
    expect(out).toMatchObject({ correct: false, status: 'wrong', misconception: { id: 'rounded', label: 'rounded' } });
    expect(out.misconceptions.map((m: { id: string }) => m.id)).toContain('rounded');
    expect(run(['conv-params', '--seed', String(seed), '--answer', `${Math.round(value / 1000)}K`]).text).toMatch(/^WRONG — read as .*\n(?:.*\n)*  misconception: rounded \(rounded\)$/);
  });

  it("misconceptions lists every misconception a family's wrong value matches", () => {
    for (const family of families) {
      for (let seed = 0; seed < 20; seed++) {
        const v = variantOf(family, seed);
        for (const m of v.misconceptions) {
          const out = run([family.id, '--seed', String(seed), '--answer', formatAnswer(m.value)]).json;
          expect(out.misconceptions.map((d: { id: string }) => d.id)).toContain(m.id);
          expect(out.misconception).toEqual(out.misconceptions[0]);
        }
      }
    }
  });
});
