/** `npm run -s stride -- <command>`: the command-line tool (README.md, "The command line"). */
import { commands } from './commands/index';
import { CommandFailure, parseArgs, UsageError, type Command } from './cli';

function help(): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    'Stride — study CNN architectures. Usage: npm run -s stride -- <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --json (one JSON document on stdout). Exit codes: 0 ok, 1 a check failed, 2 bad input.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help() + '\n');
    return name === undefined ? 2 : 0;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`stride: unknown command '${name}'. Commands: ${commands.map((c) => c.name).join(', ')}. See --help.\n`);
    return 2;
  }
  const args = parseArgs(rest, command);
  if (args.flags.help) {
    process.stdout.write(`usage: stride ${command.usage}\n${command.summary}\n`);
    return 0;
  }
  const out = await command.run(args);
  process.stdout.write((args.json ? JSON.stringify(out.json, null, 2) : out.text) + '\n');
  return out.ok === false ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || (err instanceof Error && err.name.endsWith('Error') && (err as { usage?: boolean }).usage)) {
      process.stderr.write(`stride: ${err.message}\n`);
      process.exitCode = 2;
    } else if (err instanceof CommandFailure) {
      process.stderr.write(`stride: ${err.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`stride: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 70;
    }
  },
);
