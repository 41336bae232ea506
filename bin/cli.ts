/**
 * The command-line contract (README.md, "The command line"): every command takes `--json` and then prints
 * one JSON document on stdout and nothing else; bad input → message on stderr, exit 2;
 * a failed check → exit 1 (a failure with nothing to report, CommandFailure: message on stderr, exit 1).
 */

export interface ParsedArgs {
  /** Positional arguments after the command name. */
  positionals: string[];
  /** `--flag value` and `--flag=value` as strings; bare `--flag` as true. */
  flags: Record<string, string | true>;
  json: boolean;
}

/** Bad input from the user: printed on stderr, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A command that could not do its work (a database unreachable, a target refused): printed on stderr, exit code 1. */
export class CommandFailure extends Error {
  override name = 'CommandFailure';
}

export interface CommandOutput {
  /** The JSON document printed with --json. */
  json: unknown;
  /** The human form. */
  text: string;
  /** False when a check failed: exit code 1. */
  ok?: boolean;
}

export interface Command {
  name: string;
  /** One line for --help. */
  summary: string;
  /** e.g. `summary <arch> [--no-bias] [--bn-stats]` */
  usage: string;
  /** Flags this command accepts (besides --json and --help); anything else is a usage error. Flags that take a value end in `=`: `seed=`. */
  flags?: string[];
  run(args: ParsedArgs): Promise<CommandOutput> | CommandOutput;
}

const VALUE_FLAG = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/;

/** Split argv into positionals and flags, checking flags against the command's list. */
export function parseArgs(argv: string[], command: Command): ParsedArgs {
  const allowed = new Map<string, boolean>([['json', false], ['help', false]]);
  for (const f of command.flags ?? []) allowed.set(f.replace(/=$/, ''), f.endsWith('='));
  const positionals: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = VALUE_FLAG.exec(arg);
    if (!m) {
      if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}' for '${command.name}'; usage: stride ${command.usage}`);
      positionals.push(arg);
      continue;
    }
    const key = m[1]!;
    if (!allowed.has(key)) throw new UsageError(`unknown option '--${key}' for '${command.name}'; usage: stride ${command.usage}`);
    const takesValue = allowed.get(key)!;
    if (!takesValue) {
      if (m[2] !== undefined) throw new UsageError(`option '--${key}' takes no value`);
      flags[key] = true;
    } else if (m[2] !== undefined) {
      flags[key] = m[2];
    } else {
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError(`option '--${key}' needs a value; usage: stride ${command.usage}`);
      flags[key] = next;
      i++;
    }
  }
  return { positionals, flags, json: flags.json === true };
}

/** A flag's value as an integer, with a message naming the flag when it is not one. */
export function intFlag(args: ParsedArgs, key: string, fallback?: number): number {
  const raw = args.flags[key];
  if (raw === undefined) {
    if (fallback === undefined) throw new UsageError(`missing --${key} <integer>`);
    return fallback;
  }
  if (raw === true || !/^-?\d+$/.test(raw)) throw new UsageError(`--${key} must be an integer, got '${raw === true ? '' : raw}'`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${key} is out of range: '${raw}'`);
  return n;
}

/** Render rows as an aligned text table (numbers right-aligned). */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? c.toLocaleString('en-US') : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const line = (r: string[]) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [line(headers), rule, ...cells.map(line)].join('\n');
}
