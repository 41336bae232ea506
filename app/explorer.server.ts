/**
 * The explorer's view of the zoo: each network's analysis under the three counting conventions,
 * reduced to plain rows the pages render. The zoo is static, so every analysis is computed once
 * per process (all thirty networks × three conventions take about half a second).
 */
import { analyze } from '../engine/analysis';
import type { Analysis, ReceptiveField } from '../engine/analysis-types';
import { UnknownArchError } from '../engine/errors';
import { CONVENTION_NAMES, getArch, networkConvention, zoo, type ConventionName, type ZooEntry } from '../engine/zoo';
import { z } from 'zod';

/** What an architecture id in a URL may look like (the zoo's ids: lower case, digits, '_'). */
export const ArchIdSchema = z.string().regex(/^[a-z0-9_]{1,64}$/);

export interface ZooListing {
  id: string;
  name: string;
  year: number;
  params: number;
  macs: number;
}

export interface ExplorerRow {
  /** Path-like name from the analysis (`layer1/0/residual/conv1`). */
  path: string;
  type: string;
  depth: number;
  output: number[];
  params: number;
  macs: number;
  rf: ReceptiveField;
  rfW: ReceptiveField;
  /** Block rows sum the rows below them. */
  aggregate: boolean;
  /** False when the window did not tile the input and the size was rounded. */
  exact: boolean;
}

/** Totals of one counting convention, labelled for the page. */
export interface ConventionTotals {
  key: ConventionName;
  /** A library's name only where the count reproduces that library's published figure for this network; else what it counts. */
  label: string;
  /** The published count reproduced ("keras.applications.ResNet50"), or null. */
  publishedBy: string | null;
  text: string;
  params: number;
  macs: number;
  flops: number;
  /** Every leaf layer's output values (ReLU and dropout included). */
  activations: number;
  /** The lecture's count: the input plus every conv, pool and dense output. */
  memory: number;
}

export interface ArchitectureView {
  id: string;
  name: string;
  year: number;
  source: string;
  convention: string;
  notes: string | null;
  published: { params: number | null; macs: number | null; source: string } | null;
  input: number[];
  output: number[];
  rows: ExplorerRow[];
  totals: ConventionTotals[];
}

let listing: ZooListing[] | null = null;
const views = new Map<string, ArchitectureView>();
/** The torchvision analysis behind each view, for its diagram. */
const analyses = new Map<string, { entry: ZooEntry; analysis: Analysis }>();

/** Every zoo network with its default (torchvision) totals. */
export function zooListing(): ZooListing[] {
  listing ??= zoo.map((entry) => {
    const { totals } = analyze(entry.spec);
    return { id: entry.id, name: entry.name, year: entry.year, params: totals.params, macs: totals.macs };
  });
  return listing;
}

/** The explorer's view of one network, or null for an id (from a URL) the zoo does not have. */
export function architectureView(raw: unknown): ArchitectureView | null {
  const parsed = ArchIdSchema.safeParse(raw);
  if (!parsed.success) return null;
  const id = parsed.data;
  const cached = views.get(id);
  if (cached) return cached;
  let entry: ZooEntry;
  try {
    entry = getArch(id);
  } catch (err) {
    if (err instanceof UnknownArchError) return null;
    throw err;
  }
  const torchvision = analyze(entry.spec);
  const view = buildView(entry, torchvision);
  views.set(id, view);
  analyses.set(id, { entry, analysis: torchvision });
  return view;
}

/** A zoo network's spec and torchvision analysis (what its diagram is drawn from), or null for an unknown id. */
export function architectureAnalysis(raw: unknown): { view: ArchitectureView; entry: ZooEntry; analysis: Analysis } | null {
  const view = architectureView(raw);
  if (!view) return null;
  return { view, ...analyses.get(view.id)! };
}

function buildView(entry: ZooEntry, torchvision: Analysis): ArchitectureView {
  const rows = torchvision.layers.map(
    (r): ExplorerRow => ({
      path: r.name,
      type: r.type,
      depth: r.depth,
      output: r.output,
      params: r.params,
      macs: r.macs,
      rf: r.rf,
      rfW: r.rfW,
      aggregate: r.aggregate,
      exact: r.exact !== false,
    }),
  );
  const totals = CONVENTION_NAMES.map((key): ConventionTotals => {
    const convention = networkConvention(entry, key);
    const analysis = key === 'torchvision' ? torchvision : analyze(entry.spec, convention.options);
    return { key, label: convention.label, publishedBy: convention.published?.by ?? null, text: analysis.convention.text, ...analysis.totals };
  });
  const published = entry.published
    ? { params: entry.published.params ?? null, macs: entry.published.macs ?? null, source: entry.published.source }
    : null;
  return {
    id: entry.id,
    name: entry.name,
    year: entry.year,
    source: entry.source,
    convention: entry.convention,
    notes: entry.notes ?? null,
    published,
    input: [...torchvision.input],
    output: torchvision.output,
    rows,
    totals,
  };
}
