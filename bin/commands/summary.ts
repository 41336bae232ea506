import { analyze, type AnalyzeOptions } from '../../engine/analysis';
import type { Analysis } from '../../engine/analysis-types';
import { UnknownArchError } from '../../engine/errors';
import { CONVENTION_NAMES, getArch, networkConvention, type ConventionName, type NetworkConvention, type ZooEntry } from '../../engine/zoo/index';
import { table, UsageError, type ParsedArgs, type Command } from '../cli';
import { groupThousands } from '../../engine/answers/format';

/** The counting a summary was made with: a named convention, or the bare options of `--no-bias --bn-stats`. */
export interface SummaryConvention {
  /** Null when the options are no named convention for this network (`--bn-stats` on a Keras ResNet, both flags). */
  name: ConventionName | null;
  options: AnalyzeOptions;
  /** The published count this reproduces, or null when none is recorded for this network. */
  published: NetworkConvention['published'];
}

/** With no convention asked for: torchvision's, the analysis's default counting. */
function defaultConvention(entry: ZooEntry): SummaryConvention {
  return { name: 'torchvision', options: {}, published: networkConvention(entry, 'torchvision').published };
}

/**
 * The JSON document (README, "stride summary"): id, input, output (the network's final output,
 * also when it ends in a concat or an add), layers, totals, and the convention they were counted
 * under. `layers` holds the leaf layers only (block rows are sums of their parts, so listing both
 * would count them twice): summing layers[].params or .macs gives the totals. Each layer names the
 * block it sits in (`block`: the path of the enclosing block row, or null at the top level) and
 * its depth.
 */
export function summaryDocument(entry: ZooEntry, analysis: Analysis, convention: SummaryConvention = defaultConvention(entry)) {
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
  return {
    id: entry.id,
    input: [...analysis.input],
    output: [...analysis.output],
    layers,
    totals: analysis.totals,
    convention: { name: convention.name, published: convention.published, text: analysis.convention.text },
  };
}

/** The convention lines under the table: which one, whether it is a published figure, and what it counts. */
function conventionLines(entry: ZooEntry, analysis: Analysis, convention: SummaryConvention): string[] {
  const head = convention.name ? `${convention.name} — ${networkConvention(entry, convention.name).label}` : 'none named (the counting options given)';
  const published = convention.published ? `; reproduces ${convention.published.by}'s published ${groupThousands(convention.published.params)} (${convention.published.source})` : '';
  return [`Convention: ${head}${published}.`, `Counting: ${analysis.convention.text}`];
}

/** A Keras model.summary()-like table: parts of blocks indented under them, totals and the convention below. */
export function summaryText(entry: ZooEntry, analysis: Analysis, convention: SummaryConvention = defaultConvention(entry)): string {
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
  const lines = [
    `${entry.name} (${entry.id}) — input ${analysis.input.join('×')}, output ${analysis.output.join('×')}`,
    table(['Layer (type)', 'Output shape', 'Param #', 'MACs', 'RF'], rows),
    '',
    `Total params: ${groupThousands(t.params)}`,
    `Total MACs: ${groupThousands(t.macs)} (${(t.macs / 1e9).toFixed(2)} G; FLOPs ${groupThousands(t.flops)})`,
    `Total activations: ${groupThousands(t.activations)} values (every leaf layer's output, ReLU and dropout included)`,
    `Total memory: ${groupThousands(t.memory)} values (the lecture's count: the input plus every conv, pool and dense output)`,
    ...conventionLines(entry, analysis, convention),
    `Source: ${entry.source}. ${entry.convention}.`,
  ];
  if (analysis.layers.some((l) => l.exact === false)) lines.push('* the windows do not tile the padded input exactly; the size was rounded (floor, or ceil in ceil mode).');
  if (entry.notes) lines.push(`Note: ${entry.notes}`);
  return lines.join('\n');
}

export const summary: Command = {
  name: 'summary',
  summary: 'per-layer shapes, params, MACs, activations and receptive fields of a zoo architecture',
  usage: `summary <arch> [--json] [--convention ${CONVENTION_NAMES.join('|')}] [--no-bias] [--bn-stats]`,
  flags: ['convention=', 'no-bias', 'bn-stats'],
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
    const convention = summaryConvention(entry, args);
    const analysis = analyze(entry.spec, convention.options);
    return { json: summaryDocument(entry, analysis, convention), text: summaryText(entry, analysis, convention) };
  },
};

/**
 * `--convention` names one; `--no-bias` is `lecture`; `--bn-stats` is `keras` where Keras's count is
 * just the running statistics added (not on the Keras ResNets, whose convs also have biases: there
 * it counts what it says, under no name). Mixing `--convention` with the old flags is refused.
 */
export function summaryConvention(entry: ZooEntry, args: ParsedArgs): SummaryConvention {
  const raw = args.flags.convention;
  const noBias = args.flags['no-bias'] === true;
  const bnStats = args.flags['bn-stats'] === true;
  const named = (name: ConventionName): SummaryConvention => {
    const c = networkConvention(entry, name);
    return { name, options: c.options, published: c.published };
  };
  if (raw !== undefined) {
    if (raw === true || !(CONVENTION_NAMES as readonly string[]).includes(raw)) throw new UsageError(`--convention must be one of ${CONVENTION_NAMES.join(', ')}; got '${raw === true ? '' : raw}'`);
    if (noBias || bnStats) throw new UsageError(`--convention ${raw} already sets the counting; leave out ${[noBias && '--no-bias', bnStats && '--bn-stats'].filter(Boolean).join(' and ')}`);
    return named(raw as ConventionName);
  }
  if (noBias && bnStats) return { name: null, options: { bias: false, bnStats: true }, published: null };
  if (noBias) return named('lecture');
  if (bnStats) {
    const keras = named('keras');
    return keras.options.convBias ? { name: null, options: { bnStats: true }, published: null } : keras;
  }
  return named('torchvision');
}
