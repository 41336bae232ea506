/**
 * What the engine panel reports after an answer, as pure functions of the tfjs check: the real
 * model's figures (its final output, params, MACs) and whether the correct answer is what the
 * model measured. The panel (app/components/engine-panel.tsx) only renders these, so tests can
 * check the words and numbers for every network and question without a browser.
 */
import { analyze } from '../engine/analysis';
import { sameAnswer } from '../engine/answers/grade';
import { valueCount } from '../engine/formulas';
import { measureSource } from '../engine/families/measure';
import type { AnswerSource } from '../engine/question';
import type { Spec } from '../engine/spec';
import type { LayerCheck, VerifyResult } from '../engine/tfjs/verify';
import { countText, shapeText } from './components/explorer/format';

/** The correct answer as the variant states it. */
export type ExpectedAnswer = { kind: string; value: unknown; display: string } | null;

/** The student's graded answer, for saying plainly when it is not the one the model confirms. */
export interface StudentAnswer {
  correct: boolean;
  /** How the answer was read ("read as 14×14×128"), when it was. */
  readAs: string | null;
}

/** The real model's figures, as the panel's first line gives them. */
export interface ModelReport {
  /** The model's final output tensor (H×W×C or [units]): a concat's or an add's when the network ends in one. */
  output: number[];
  /** Sums over the top-level rows (a block row is the sum of its parts). */
  params: number;
  macs: number;
  /** Every row and the final output agree with the engine's analysis. */
  agreesWithEngine: boolean;
  /** One sentence saying what agrees with what. */
  text: string;
}

/** The model's figures from its check: never the last row's output, which for an inception module is one branch's. */
export function modelReport(verify: Pick<VerifyResult, 'ok' | 'output' | 'layers'>): ModelReport {
  const top = verify.layers.filter((l) => !l.name.includes('/'));
  const output = [...verify.output.tfjs];
  const params = top.reduce((s, l) => s + l.tfjs.params, 0);
  const macs = top.reduce((s, l) => s + l.tfjs.macs, 0);
  const figures = `output ${shapeText(output)}, ${countText(params)} params, ${countText(macs)} MACs`;
  const text = verify.ok
    ? `✓ The tfjs model agrees with the engine's analysis: ${figures}`
    : `✗ The tfjs model disagrees with the engine's analysis (see below): the model gives ${figures}`;
  return { output, params, macs, agreesWithEngine: verify.ok, text };
}

/** How the correct answer compares with what the model measured. */
export interface Agreement {
  status: 'agrees' | 'differs' | 'not-compared';
  /** One sentence naming both sides: the model (or the engine's analysis) and the correct answer. */
  text: string;
}

export const NOT_A_QUANTITY = 'not compared (the answer is not a single quantity of the network)';

const QUANTITY_WORDS: Record<AnswerSource['quantity'], string> = {
  output: 'output shape',
  channels: 'output channels',
  params: 'params',
  macs: 'MACs',
  flops: 'FLOPs',
  activations: 'activations',
  rf: 'receptive field',
};

function describe(source: AnswerSource): string {
  const what = QUANTITY_WORDS[source.quantity];
  const factor = source.factor !== undefined && source.factor !== 1 ? `${source.factor} × ` : '';
  return `${factor}${what} of ${source.row ?? 'the network'}`;
}

function show(value: number | readonly number[]): string {
  return typeof value === 'number' ? countText(value) : shapeText(value);
}

/** The model measures in floats: equal up to that noise, and otherwise as the grader compares answers (shapes up to leading 1s). */
const FLOAT_NOISE = { relative: 1e-9, absolute: 1e-9 };

function same(measured: number | readonly number[], expected: unknown): boolean | null {
  if (typeof measured === 'number') {
    if (typeof expected !== 'number') return null;
    return sameAnswer({ kind: 'number', value: measured }, { kind: 'number', value: expected }, FLOAT_NOISE);
  }
  if (!Array.isArray(expected) || !expected.every((v) => typeof v === 'number')) return null;
  return sameAnswer({ kind: 'shape', value: [...measured] }, { kind: 'shape', value: expected as number[] }, undefined);
}

/** The sentence for a comparison: `who` measured `measured`, against the correct answer. */
function verdictOf(who: string, measured: number | number[], expected: unknown, source: AnswerSource, why?: string): Agreement {
  const verdict = same(measured, expected);
  if (verdict === null) return { status: 'not-compared', text: NOT_A_QUANTITY };
  const reason = why ? ` (${why})` : '';
  const answer = show(expected as number | number[]);
  return verdict
    ? { status: 'agrees', text: `✓ ${who} ${show(measured)} (${describe(source)}), which agrees with the correct answer ${answer}${reason}` }
    : { status: 'differs', text: `✗ ${who} ${show(measured)} (${describe(source)}), which differs from the correct answer ${answer}${reason}` };
}

/** Compare the answer with the engine's analysis (when tfjs cannot measure the quantity as asked), saying why. */
function againstEngine(spec: Spec, expected: unknown, source: AnswerSource, why: string): Agreement {
  let measured: number | number[];
  try {
    measured = measureSource(spec, source);
  } catch (err) {
    return { status: 'not-compared', text: `not compared (${err instanceof Error ? err.message : String(err)})` };
  }
  return verdictOf("the engine's analysis gives", measured, expected, source, why);
}

/**
 * Whether the correct answer is what the tfjs model measured: the quantity the variant's `source`
 * names, read from the tfjs numbers of that row (or of the whole network: its final output, the
 * sums of its rows). Questions that leave biases out, and receptive fields wider than the input
 * (tfjs sees only the clipped part), are compared with the engine's analysis instead, which the
 * sentence says. The student's answer is not what this compares: see {@link studentNote}.
 */
export function answerAgreement(check: { verify: Pick<VerifyResult, 'layers' | 'output'> }, spec: Spec, answer: ExpectedAnswer, source: AnswerSource | null | undefined): Agreement {
  if (!answer || !source) return { status: 'not-compared', text: NOT_A_QUANTITY };
  const expected = answer.value;
  if (source.quantity === 'params' && source.bias === false) return againstEngine(spec, expected, source, 'the question leaves biases out; the tfjs model always has them');

  const layers = check.verify.layers;
  const rows = new Map(analyze(spec).layers.map((r) => [r.name, r]));
  const leaves = layers.filter((l) => rows.get(l.name)?.aggregate === false);
  const topLevel = layers.filter((l) => rows.get(l.name)?.depth === 0);
  let row: LayerCheck | undefined;
  if (source.row !== undefined) {
    row = layers.find((l) => l.name === source.row);
    if (!row) return { status: 'not-compared', text: `not compared (the model has no row ${source.row})` };
  }
  const last = row ?? topLevel[topLevel.length - 1];
  if (!last) return { status: 'not-compared', text: 'not compared (the model has no layers)' };
  // The whole network's output is the model's output tensor, not any row's.
  const output = row ? row.tfjs.output : check.verify.output.tfjs;
  const factor = source.factor ?? 1;
  const sum = (f: (l: LayerCheck) => number) => (row ? f(row) : leaves.reduce((n, l) => n + f(l), 0));

  let measured: number | number[];
  switch (source.quantity) {
    case 'output':
      measured = output;
      break;
    case 'channels': {
      const c = output[output.length - 1];
      if (c === undefined) return { status: 'not-compared', text: `not compared (the model's output of ${last.name} has no shape)` };
      measured = c;
      break;
    }
    case 'params':
      measured = factor * sum((l) => l.tfjs.params);
      break;
    case 'macs':
      measured = factor * sum((l) => l.tfjs.macs);
      break;
    case 'flops':
      measured = factor * 2 * sum((l) => l.tfjs.macs);
      break;
    case 'activations':
      measured = factor * sum((l) => valueCount(l.tfjs.output));
      break;
    case 'rf': {
      const field = last.tfjs.rf;
      const engine = last.engine.rf;
      if (!field || !engine) return { status: 'not-compared', text: `not compared (the receptive field of ${last.name} was not measured)` };
      const spanH = engine.span.h[1] - engine.span.h[0] + 1;
      // A field wider than the input: tfjs sees only the clipped part (which verify compared with the engine's span).
      if (spanH < engine.size[0]) return againstEngine(spec, expected, source, `the field is wider than the input; tfjs measured its ${field.size[0]}-pixel clipped part`);
      measured = factor * field.size[0];
      break;
    }
  }
  return verdictOf('the tfjs model measures', measured, expected, source);
}

/**
 * Said right under the comparison when the student's answer was wrong, so a green line about the
 * correct answer is never read as a verdict on the student's. Null when the student was right
 * (or there is no student, as in an instructor's preview).
 */
export function studentNote(student: StudentAnswer | null | undefined, answer: ExpectedAnswer): string | null {
  if (!student || student.correct) return null;
  const yours = student.readAs ? ` (${student.readAs})` : '';
  const correct = answer ? ` ${answer.display}` : '';
  return `Your answer${yours} differs from the correct answer${correct}: the line above checks the correct answer against the model, not yours.`;
}
