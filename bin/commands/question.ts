import { UnknownFamilyError, families, variantOf } from '../../engine/families';
import type { Difficulty, FamilyOptions, Variant } from '../../engine/question';
import { UsageError, intFlag, type Command, type ParsedArgs } from '../cli';
import { plainText } from '../../engine/families/tex';

/** Seeds are 31-bit, as the web app draws and stores them. */
export const MAX_SEED = 2 ** 31 - 1;

/** The variant named on the command line: `<family> --seed N [--difficulty 1|2|3]`. Shared with `grade`. */
export function variantFromArgs(args: ParsedArgs, usage: string): Variant {
  const id = args.positionals[0];
  if (id === undefined) throw new UsageError(`missing <family>; usage: stride ${usage}; families: ${families.map((f) => f.id).join(', ')}`);
  if (args.positionals.length > 1) throw new UsageError(`unexpected argument '${args.positionals[1]}'; usage: stride ${usage}`);
  const seed = intFlag(args, 'seed');
  if (seed < 0 || seed > MAX_SEED) throw new UsageError(`--seed must be in 0…${MAX_SEED} (0 to 2^31−1), got ${seed}`);
  const options: FamilyOptions = {};
  if (args.flags.difficulty !== undefined) {
    const d = intFlag(args, 'difficulty');
    if (d < 1 || d > 3) throw new UsageError(`--difficulty must be 1, 2 or 3, got ${d}`);
    options.difficulty = d as Difficulty;
  }
  try {
    return variantOf(id, seed, options);
  } catch (e) {
    if (e instanceof UnknownFamilyError) throw new UsageError(e.message);
    throw e;
  }
}

export const question: Command = {
  name: 'question',
  summary: 'the variant of a generated question family for a seed: prompt, answer, worked explanation, spec',
  usage: 'question <family> --seed N [--difficulty 1|2|3]',
  flags: ['seed=', 'difficulty='],
  run(args) {
    const v = variantFromArgs(args, this.usage);
    const { kind, value, display } = v.answer;
    const json = {
      family: v.family,
      seed: v.seed,
      prompt: v.prompt,
      answer: { kind, value, display },
      explanation: v.explanation,
      spec: v.spec,
      ...(v.answer.kind === 'count' ? { unit: v.answer.unit } : {}),
      ...(v.answer.tolerance ? { tolerance: v.answer.tolerance } : {}),
      difficulty: v.difficulty,
      misconceptions: v.misconceptions,
    };
    const text = [
      `${v.family} · seed ${v.seed} · difficulty ${v.difficulty}`,
      '',
      v.prompt,
      '',
      `Answer: ${display}${v.answer.kind === 'count' ? ` ${v.answer.unit}` : ''}`,
      ...v.explanation.map((line) => `  ${plainText(line)}`),
      ...(v.misconceptions.length ? ['', 'Recognised mistakes:', ...v.misconceptions.map((m) => `  ${m.label}: ${JSON.stringify(m.value.value)}`)] : []),
    ].join('\n');
    return { json, text };
  },
};
