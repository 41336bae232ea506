/**
 * Properties of the reader and grader over every family's variants: the answer's own display
 * reads back to exactly the answer and grades correct; the answer box's hint suggests only
 * spellings that grade correct (and none that is this variant's answer); every misconception's
 * value is named when typed, also beside another misconception with the same value.
 */
import { describe, expect, it } from 'vitest';
import { families, variantOf } from '../families';
import type { Answer, Difficulty, Variant } from '../question';
import { answerHint, formatAnswer, grade, readAnswer, readContextOf } from './index';

const SEEDS = 150;
const DIFFICULTIES: Difficulty[] = [1, 2, 3];

function variants(familyId: string): Variant[] {
  const family = families.find((f) => f.id === familyId)!;
  return Array.from({ length: SEEDS }, (_, seed) => variantOf(family, seed, { difficulty: DIFFICULTIES[seed % 3]! }));
}

/** A bank item may put a tolerance on any numeric answer; the properties must hold then too. */
function withTolerance(answer: Answer): Answer {
  return answer.kind === 'choice' ? answer : { ...answer, tolerance: { relative: 0.02 } };
}

describe.each(families.map((f) => f.id))('%s', (familyId) => {
  const all = variants(familyId);

  it('the display reads back to exactly the answer, and grades correct with no misconception', () => {
    for (const v of all) {
      for (const answer of [v.answer, withTolerance(v.answer)]) {
        const read = readAnswer(answer.display, readContextOf(answer));
        if (!read.ok) throw new Error(`seed ${v.seed}: '${answer.display}' ${read.reason}`);
        expect(read.value.value, `seed ${v.seed}`).toEqual(answer.value);
        const result = grade({ ...v, answer }, answer.display);
        expect(result.status, `seed ${v.seed}: '${answer.display}' ${result.feedback.join(' | ')}`).toBe('correct');
        expect(result.misconceptions).toEqual([]);
      }
    }
  });

  it("the hint's spellings read as its example, grade correct for it, and are not this answer", () => {
    for (const v of all) {
      for (const answer of [v.answer, withTolerance(v.answer)]) {
        const context = readContextOf(answer);
        const hint = answerHint(context);
        if (answer.kind === 'choice') expect(hint.spellings).toEqual([]);
        for (const spelling of hint.spellings) {
          expect(hint.text).toContain(spelling);
          const read = readAnswer(spelling, context);
          if (!read.ok) throw new Error(`seed ${v.seed}: hint '${spelling}' ${read.reason}`);
          expect(read.value.value).toEqual(hint.example?.value);
          const example = { ...hint.example!, display: spelling, ...(answer.tolerance && { tolerance: answer.tolerance }) } as Answer;
          expect(grade({ answer: example, misconceptions: [] }, spelling).status, `hint '${spelling}'`).toBe('correct');
          // (Under a loose tolerance an example may come near an answer; it never is one exactly.)
          if (answer === v.answer) expect(grade(v, spelling).correct, `seed ${v.seed}: the hint '${spelling}' is the answer`).toBe(false);
        }
      }
    }
  });

  it('the read context carries no answer value', () => {
    for (const v of all) {
      const context = readContextOf(v.answer);
      expect(context).not.toHaveProperty('value');
      expect(context).not.toHaveProperty('display');
      expect(context.kind).toBe(v.answer.kind);
    }
  });

  it("each misconception's value is named when typed, and so is any other with the same value", () => {
    for (const v of all) {
      for (const m of v.misconceptions) {
        const typed = formatAnswer(m.value);
        const result = grade(v, typed);
        expect(result.correct, `seed ${v.seed}: ${m.id} (${typed})`).toBe(false);
        const ids = result.misconceptions.map((d) => d.id);
        const sameValue = v.misconceptions.filter((o) => JSON.stringify(o.value.value) === JSON.stringify(m.value.value)).map((o) => o.id);
        for (const id of sameValue) expect(ids, `seed ${v.seed}: ${typed}`).toContain(id);
        expect(result.misconception?.id).toBe(ids[0]);
      }
    }
  });
});
