import { analyze } from '../../engine/analysis';
import type { Analysis } from '../../engine/analysis-types';
import { UnknownArchError } from '../../engine/errors';
import { getArch, type ZooEntry } from '../../engine/zoo/index';
import { table, UsageError, type Command } from '../cli';

/**
 * The JSON document of DESIGN.md: exactly id, input, layers, totals at the top level. `layers`
 * holds the leaf layers only (block rows are sums of their parts, so listing both would count
 * them twice): summing layers[].params or .macs gives the totals. Each layer names the block it
 * sits in (`block`: the path of the enclosing block row, or null at the top level) and its depth.
 */
export function summaryDocument(entry: ZooEntry, analysis: Analysis) {
  const enclosing: string[] = [];
  const layers = [];
  for (const l of analysis.layers) {
    enclosing.length = l.depth;
    if (l.aggregate) {
      enclosing[l.depth] = l.name;
      continue;
    }
    layers.push({
      name: l.name,
      type: l.type,
      output: l.output,
      params: l.params,
      macs: l.macs,
      activations: l.activations,
      rf: l.rf,
      rfW: l.rfW,
      depth: l.depth,
      block: enclosing[l.depth - 1] ?? null,
      ...(l.exact === undefined ? {} : { exact: l.exact }),
    });
  }
  return { id: entry.id, input: [...analysis.input], layers, totals: analysis.totals };
}

/** A Keras model.summary()-like table: parts of blocks indented under them, totals and the convention below. */
export function summaryText(entry: ZooEntry, analysis: Analysis): string {
  // Parts are shown relative to the row they belong to (`branch2/conv1` under `inception3a`).
  const parents: string[] = [];
  const rows = analysis.layers.map((l) => {
    parents.length = l.depth;
    const parent = parents[l.depth - 1];
    const local = parent !== undefined && l.name.startsWith(`${parent}/`) ? l.name.slice(parent.length + 1) : l.name;
    if (l.aggregate) parents[l.depth] = l.name;
    return [
    `${'  '.repeat(l.depth)}${local} (${l.type})${l.exact === false ? ' *' : ''}`,
    l.output.join('×'),
    l.params,
    l.macs,
    l.rf.size === l.rfW.size ? String(l.rf.size) : `${l.rf.size}×${l.rfW.size}`,
    ];
  });
  const t = analysis.totals;
  const fmt = (n: number) => n.toLocaleString('en-US');
  const lines = [
    `${entry.name} (${entry.id}) — input ${analysis.input.join('×')}`,
    table(['Layer (type)', 'Output shape', 'Param #', 'MACs', 'RF'], rows),
    '',
    `Total params: ${fmt(t.params)}`,
    `Total MACs: ${fmt(t.macs)} (${(t.macs / 1e9).toFixed(2)} G; FLOPs ${fmt(t.flops)})`,
    `Total activations: ${fmt(t.activations)} values`,
    `Convention: ${analysis.convention.text}`,
    `Source: ${entry.source}. ${entry.convention}.`,
  ];
  if (analysis.layers.some((l) => l.exact === false)) lines.push('* the windows do not tile the padded input exactly; the size was rounded (floor, or ceil in ceil mode).');
  if (entry.notes) lines.push(`Note: ${entry.notes}`);
  return lines.join('\n');
}

export const summary: Command = {
  name: 'summary',
  summary: 'per-layer shapes, params, MACs, activations and receptive fields of a zoo architecture',
  usage: 'summary <arch> [--json] [--no-bias] [--bn-stats]',
  flags: ['no-bias', 'bn-stats'],
  run(args) {
    const id = args.positionals[0];
    if (id === undefined) throw new UsageError('summary needs an architecture id; see `stride list`');
    if (args.positionals.length > 1) throw new UsageError(`summary takes one architecture, got ${args.positionals.length}: ${args.positionals.join(' ')}`);
    let entry: ZooEntry;
    try {
      entry = getArch(id);
    } catch (err) {
      if (err instanceof UnknownArchError) throw new UsageError(err.message);
      throw err;
    }
    const analysis = analyze(entry.spec, { bias: args.flags['no-bias'] !== true, bnStats: args.flags['bn-stats'] === true });
    return { json: summaryDocument(entry, analysis), text: summaryText(entry, analysis) };
  },
};
