/**
 * Answer reading and grading: what a student typed → a typed value → correct, wrong or unread.
 *
 * API (stable; families and the app call only these):
 *
 *   formatAnswer(value: AnswerValue): string
 *     Display form that readAnswer reads back to exactly `value`:
 *     count "34,944" (no unit), shape "55×55×96", number "0.75", percent "12.5%", choice: its label.
 *
 *   readAnswer(text: string, expected: ReadContext): ReadResult
 *     `expected` says which kind is wanted (any AnswerValue fits: kind, plus unit for counts and
 *     options for choices). → { ok: true, value, readAs: "read as 34,944", ... }
 *                          | { ok: false, reason: "not read: …" }  (no attempt spent)
 *
 *   readContextOf(answer: Answer): ReadContext
 *     What the reader may know without the answer's value (kind, unit, tolerance, options): the
 *     context for live reading in the browser, so it reads exactly as grading does.
 *
 *   answerHint(context: ReadContext): { text, spellings, example }
 *     The answer box's hint: spellings of one made-up example, all read alike (none rounded).
 *
 *   grade(variant: { answer: Answer; misconceptions: readonly Misconception[] }, text: string): GradeResult
 *     → { status: 'correct' | 'wrong' | 'unread', correct, readAs, value, feedback: string[],
 *         misconception: { id, label, explanation } | null, misconceptions: Diagnosis[],
 *         components?: [{ axis, given, expected, ok }] }
 *
 *   countOf(n, noun, plural?) / nounFor(n, noun, plural?): "1 side", "2 sides" (English plurals).
 *
 * Decisions (details in the doc comments of read.ts and grade.ts):
 * - Shapes: leading 1s are ignored, so 4096, 1×1×4096 and 1×4096 are the same dense output.
 * - A C×H×W answer (96×55×55 for 55×55×96) is wrong, named as such, misconception 'chw-order'.
 * - Bytes units: KB/MB/GB are decimal (1 MB = 10⁶ bytes); KiB/MiB/GiB binary (1 MiB = 2²⁰).
 * - Percent: "7.3%", "7.3 %", "7.3 percent" and a bare "7.3" are 7.3%; a bare number strictly
 *   between 0 and 1 ("0.073") is refused as ambiguous (fraction or percent?).
 * - Counts are whole numbers unless the question has a tolerance (then it is an estimate).
 * - Exact count questions (no tolerance) accept only the exact value; a rounded answer (854M,
 *   35K, 35,000 for 34,944) is wrong, diagnosed 'rounded'.
 * - Every misconception that explains a wrong answer is named (`misconceptions`);
 *   `misconception` is the first of them.
 * - Shapes: see read.ts for thousands commas, named sides (H=55, W=55, C=96) and stated orders.
 * - Misconception ids for unit slips, "X-for-Y" = gave X where Y was asked: 'flops-for-macs'
 *   (2×), 'macs-for-flops' (½), 'bytes-vs-values' (bytes given for values, 4×),
 *   'values-vs-bytes' (values given for bytes, ¼; float32 = 4 bytes).
 */
export { formatAnswer, groupThousands, countOf, nounFor, COUNT_UNIT_NAMES } from './format';
export { readAnswer, readContextOf, MAX_ANSWER_LENGTH, NOT_READ } from './read';
export { answerHint, COUNT_EXAMPLE, SHAPE_EXAMPLE, NUMBER_EXAMPLE, PERCENT_EXAMPLE } from './hint';
export type { AnswerHint } from './hint';
export type { ReadContext, ReadResult, Reading } from './read';
export { grade, GENERIC_MISCONCEPTIONS } from './grade';
export type { GradeResult, Gradable, ShapeComponent, Diagnosis } from './grade';
