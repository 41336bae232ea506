import { grade as gradeAnswer } from '../../engine/answers';
import { UsageError, type Command } from '../cli';
import { variantFromArgs } from './question';

/**
 * `grade <family> --seed N --answer "<text>"` → { correct, readAs, feedback, misconception,
 * misconceptions, status }: `misconception` is the first diagnosis (or null), `misconceptions`
 * every one that explains the answer (two can give the same wrong value); N in
 * 0…2^31−1 (the web app's seeds), anything else a usage error (exit 2, see variantFromArgs).
 * feedback is a list of sentences (string[]), the first one the verdict; an unread answer has
 * correct false, readAs null and feedback starting "not read: …". A wrong answer is not a failed
 * check: the exit code is 0 whenever the answer could be graded at all.
 */
export const grade: Command = {
  name: 'grade',
  summary: 'grade an answer to a generated question (rebuilt from its family and seed)',
  usage: 'grade <family> --seed N --answer "<text>" [--difficulty 1|2|3]',
  flags: ['seed=', 'answer=', 'difficulty='],
  run(args) {
    const v = variantFromArgs(args, this.usage);
    const answer = args.flags.answer;
    if (answer === undefined || answer === true) throw new UsageError(`missing --answer "<text>"; usage: stride ${this.usage}`);
    const result = gradeAnswer(v, answer);
    const json = {
      correct: result.correct,
      readAs: result.readAs,
      feedback: result.feedback,
      misconception: result.misconception,
      misconceptions: result.misconceptions,
      status: result.status,
    };
    const verdict = result.status === 'unread' ? 'NOT READ (no attempt spent)' : result.correct ? 'CORRECT' : 'WRONG';
    const text = [
      `${verdict}${result.readAs ? ` — ${result.readAs}` : ''}`,
      ...result.feedback.map((f) => `  ${f}`),
      ...result.misconceptions.map((m) => `  misconception: ${m.label} (${m.id})`),
    ].join('\n');
    return { json, text };
  },
};
