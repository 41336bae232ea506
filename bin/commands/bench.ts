import { benchmarks } from '../../test/bench/index';
import type { BenchRecord } from '../../test/bench/harness';
import { table, type Command } from '../cli';

export const bench: Command = {
  name: 'bench',
  summary: 'run the benchmarks of test/bench (those whose name contains filter), each beside its baseline',
  usage: 'bench [filter]',
  async run(args) {
    const filter = args.positionals[0] ?? '';
    const chosen = benchmarks.filter((b) => b.name.includes(filter));
    if (chosen.length === 0) {
      throw new (await import('../cli')).UsageError(`no benchmark matches '${filter}'; benchmarks: ${benchmarks.map((b) => b.name).join(', ') || '(none)'}`);
    }
    const records: BenchRecord[] = [];
    for (const b of chosen) {
      if (!args.json) process.stderr.write(`running ${b.name}…\n`);
      records.push(...(await b.run()));
    }
    const fmt = (v: number) => (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toPrecision(4));
    const text = table(
      ['figure', 'value', 'unit', 'baseline', 'baseline value', 'ratio'],
      records.map((r) => [r.name, fmt(r.value), r.unit, r.baseline?.name ?? '—', r.baseline ? fmt(r.baseline.value) : '—', r.ratio === null ? '—' : r.ratio.toFixed(3)]),
    );
    return { json: records, text };
  },
};
