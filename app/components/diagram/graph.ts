/**
 * A network's diagram as a graph, from its spec and its analysis: pure data (no layout, no DOM),
 * so the server, the workbench and the tests build the same graph.
 *
 * Nodes are named by the analysis's layer paths, so a box and its table row share one id:
 * a leaf layer is its row's path, a residual's add is the residual's path, a concat's join is the
 * concat's path, a collapsed block is the block's path. Expanded blocks (and inception-like concats)
 * are groups: frames around their parts, each with a button that collapses it to one box.
 */
import type { LayerAnalysis, ReceptiveField } from '../../../engine/analysis-types';
import type { Layer, Spec } from '../../../engine/spec';
import { pair } from '../../../engine/spec';
import { countOf } from '../../../engine/answers/format';
import { countText, fieldText, shapeText } from '../explorer/format';

export type DiagramNodeKind = 'input' | 'layer' | 'add' | 'concat' | 'block';
export type DiagramEdgeKind = 'flow' | 'skip' | 'projection' | 'concat';

export interface DiagramNode {
  /** The layer path (`layer1/0/residual/conv1`), or `input`. */
  id: string;
  kind: DiagramNodeKind;
  /** The spec's kind (`conv`, `relu`…) or the block's kind (`resnet_stage`, `inception`…). */
  type: string;
  /** Text lines of the box: name, what it does, output shape, params and receptive field. */
  lines: string[];
  /** The innermost expanded group this node is drawn inside, or null at the top. */
  group: string | null;
  /** A collapsed block's box: it can be expanded again. */
  collapsible: boolean;
}

export interface DiagramEdge {
  from: string;
  to: string;
  kind: DiagramEdgeKind;
}

/** An expanded block drawn as a frame around its parts. */
export interface DiagramGroup {
  id: string;
  /** The enclosing group, or null. */
  parent: string | null;
  label: string;
}

export interface DiagramGraph {
  nodes: DiagramNode[];
  edges: DiagramEdge[];
  groups: DiagramGroup[];
  /** Every block that can be collapsed (expanded or not), in spec order. */
  collapsible: string[];
  /** A sentence summarising the network, for the diagram's text alternative. */
  summary: string;
  /** The top-level boxes and frames in order ("conv1 → … → layer1 (resnet_stage, collapsed) → …"), the longer description. */
  outline: string;
}

/** What the graph reads of each analysis row (an `Analysis` fits, and so do the explorer's rows). */
export type DiagramRow = Pick<LayerAnalysis, 'name' | 'type' | 'depth' | 'output' | 'params'> & { rf: ReceptiveField; rfW: ReceptiveField };

export interface DiagramAnalysis {
  input: readonly number[];
  layers: readonly DiagramRow[];
}

export interface GraphOptions {
  /** Paths of the blocks drawn as one box. */
  collapsed?: ReadonlySet<string>;
}

/** The id of the input node. */
export const INPUT_ID = 'input';

/** A block (any `block` layer) or a concat of two or more real branches (an inception module, a fire expand) can collapse. */
export function isCollapsible(layer: Layer): boolean {
  if (layer.kind === 'block') return true;
  return layer.kind === 'concat' && layer.branches.filter((b) => b.length > 0).length >= 2;
}

/**
 * The top-level collapsible blocks: what a large network starts collapsed to (the stages of a
 * ResNet, the dense blocks, the inception modules).
 */
export function topLevelBlocks(spec: Spec, analysis: DiagramAnalysis): string[] {
  const rows = analysis.layers;
  const out: string[] = [];
  let cursor = 0;
  for (const layer of spec.layers) {
    const row = rows[cursor];
    if (!row) break;
    if (isCollapsible(layer)) out.push(row.name);
    cursor += 1;
    while (cursor < rows.length && rows[cursor]!.depth > row.depth) cursor++;
  }
  return out;
}

const TEXT = {
  input: 'input',
  add: 'add',
  concat: 'concat',
  params: (n: number) => `${countText(n)} params`,
  field: (rf: ReceptiveField, rfW: ReceptiveField) => `RF ${fieldText(rf, rfW, 'size')}`,
  collapsedParts: (n: number) => `${countOf(n, 'layer')} inside`,
  outlineStep: (name: string, detail: string | null) => (detail ? `${name} (${detail})` : name),
  collapsed: 'collapsed',
  outline: (steps: string[]) => `From input to output: ${steps.join(' → ')}.`,
  summary: (name: string, input: string, output: string, layers: number, blocks: number, skips: number, projections: number, concats: number) =>
    `Diagram of ${name}: input ${input} to output ${output}; ${countOf(layers, 'box', 'boxes')}` +
    (blocks > 0 ? `, ${countOf(blocks, 'collapsed block')}` : '') +
    (skips + projections > 0 ? `, ${countOf(skips, 'identity skip')} and ${countOf(projections, 'projection shortcut')}` : '') +
    (concats > 0 ? `, ${countOf(concats, 'concatenation')}` : '') +
    '.',
};

/** What a layer does, in a few characters: `conv 3×3 /2, 64`, `maxpool 3×3 /2`, `dense 1000`. */
export function layerDetail(layer: Layer): string {
  const k = (p: Parameters<typeof pair>[0]) => {
    const [a, b] = pair(p, 1);
    return a === b ? `${a}×${a}` : `${a}×${b}`;
  };
  const s = (p: Parameters<typeof pair>[0] | undefined, fallback: number) => {
    const [a, b] = pair(p, fallback);
    if (a === 1 && b === 1) return '';
    return a === b ? ` /${a}` : ` /${a}×${b}`;
  };
  switch (layer.kind) {
    case 'conv': {
      const extra = [layer.groups && layer.groups > 1 ? `g${layer.groups}` : '', layer.dilation !== undefined && pair(layer.dilation, 1).some((d) => d > 1) ? `d${k(layer.dilation).split('×')[0]}` : '']
        .filter(Boolean)
        .join(' ');
      return `conv ${k(layer.kernel)}${s(layer.stride, 1)}, ${layer.filters}${extra ? ` ${extra}` : ''}`;
    }
    case 'maxpool':
    case 'avgpool':
      return `${layer.kind} ${k(layer.kernel)}${s(layer.stride ?? layer.kernel, 1)}`;
    case 'adaptiveavgpool':
      return `adaptive avgpool → ${k(layer.output)}`;
    case 'dense':
      return `dense ${layer.units}`;
    case 'dropout':
      return `dropout ${layer.rate}`;
    case 'block':
      return layer.block ?? 'block';
    default:
      return layer.kind;
  }
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Where the flow comes from when the next node is added: node ids, and the edge kind to use. */
interface Source {
  id: string;
  kind: DiagramEdgeKind;
}

class GraphBuilder {
  readonly nodes: DiagramNode[] = [];
  readonly edges: DiagramEdge[] = [];
  readonly groups: DiagramGroup[] = [];
  readonly collapsible: string[] = [];
  collapsedCount = 0;
  private cursor = 0;

  constructor(
    private readonly rows: readonly DiagramRow[],
    private readonly collapsed: ReadonlySet<string>,
  ) {}

  private next(layer: Layer): DiagramRow {
    const row = this.rows[this.cursor++];
    const expected = layer.kind === 'block' ? (layer.block ?? 'block') : layer.kind;
    if (!row || row.type !== expected) throw new Error(`the analysis does not match the spec at row ${this.cursor - 1} (expected a ${expected} row)`);
    return row;
  }

  /** How many rows the analysis lists below an aggregate row (a collapsed block's parts). */
  private countInside(row: DiagramRow): number {
    let i = this.cursor;
    while (i < this.rows.length && this.rows[i]!.depth > row.depth) i++;
    return i - this.cursor;
  }

  finished(): boolean {
    return this.cursor === this.rows.length;
  }

  private link(from: readonly Source[], to: string) {
    for (const s of from) this.edges.push({ from: s.id, to, kind: s.kind });
  }

  node(node: DiagramNode, from: readonly Source[]): Source[] {
    this.nodes.push(node);
    this.link(from, node.id);
    return [{ id: node.id, kind: 'flow' }];
  }

  sequence(layers: readonly Layer[], from: Source[], group: string | null, hidden = false): Source[] {
    let current = from;
    for (const layer of layers) current = this.layer(layer, current, group, hidden);
    return current;
  }

  /** The parts of a collapsed block: their rows are read (and their blocks listed) but nothing is drawn. */
  private hide(layer: Layer) {
    const parts = layer.kind === 'block' ? [layer.layers] : layer.kind === 'concat' ? layer.branches : layer.kind === 'residual' ? [layer.body, layer.shortcut ?? []] : [];
    for (const p of parts) this.sequence(p, [], null, true);
  }

  private layer(layer: Layer, from: Source[], group: string | null, hidden: boolean): Source[] {
    const row = this.next(layer);
    if (hidden) {
      if (isCollapsible(layer)) this.collapsible.push(row.name);
      this.hide(layer);
      return from;
    }
    const path = row.name;
    const facts = [shapeText(row.output), `${TEXT.params(row.params)} · ${TEXT.field(row.rf, row.rfW)}`];
    // A join adds or stacks what reaches it: its row's params are its parts', drawn in their own boxes.
    const joinFacts = [shapeText(row.output), TEXT.field(row.rf, row.rfW)];
    const canCollapse = isCollapsible(layer);
    if (canCollapse) this.collapsible.push(path);
    if (canCollapse && this.collapsed.has(path)) {
      const inside = this.countInside(row);
      this.hide(layer);
      this.collapsedCount++;
      const detail = layer.kind === 'concat' ? 'concat' : layerDetail(layer);
      return this.node({ id: path, kind: 'block', type: row.type, lines: [lastSegment(path), `${detail} · ${TEXT.collapsedParts(inside)}`, ...facts], group, collapsible: true }, from);
    }
    const inner = canCollapse ? path : group;
    if (canCollapse) this.groups.push({ id: path, parent: group, label: `${lastSegment(path)} (${layer.kind === 'block' ? layerDetail(layer) : 'concat'})` });
    switch (layer.kind) {
      case 'block':
        return this.sequence(layer.layers, from, inner);
      case 'residual': {
        const body = this.sequence(layer.body, from, inner);
        const hasProjection = layer.shortcut !== undefined && layer.shortcut.length > 0;
        const before = this.nodes.length;
        const shortcut = hasProjection
          ? this.sequence(layer.shortcut!, from.map((s) => ({ ...s, kind: 'projection' as const })), inner).map((s) => ({ ...s, kind: 'projection' as const }))
          : from.map((s) => ({ ...s, kind: 'skip' as const }));
        if (hasProjection) this.markProjection(before);
        const add: DiagramNode = { id: path, kind: 'add', type: 'residual', lines: [TEXT.add, ...joinFacts], group: inner, collapsible: false };
        this.nodes.push(add);
        this.link(body, path);
        this.link(shortcut, path);
        return [{ id: path, kind: 'flow' }];
      }
      case 'concat': {
        const ends: Source[] = [];
        for (const branch of layer.branches) {
          // An empty branch passes the input straight to the join (a dense layer's concatenation).
          if (branch.length === 0) ends.push(...from.map((s) => ({ ...s, kind: 'concat' as const })));
          else ends.push(...this.sequence(branch, from, inner).map((s) => ({ ...s, kind: 'concat' as const })));
        }
        const join: DiagramNode = { id: path, kind: 'concat', type: 'concat', lines: [TEXT.concat, ...joinFacts], group: inner, collapsible: false };
        this.nodes.push(join);
        this.link(ends, path);
        return [{ id: path, kind: 'flow' }];
      }
      default: {
        // `relu` named `relu`: one line says both.
        const name = lastSegment(path);
        const detail = layerDetail(layer);
        const lines = detail === name ? [name, ...facts] : [name, detail, ...facts];
        return this.node({ id: path, kind: 'layer', type: row.type, lines, group, collapsible: false }, from);
      }
    }
  }

  /** The edges inside a projection shortcut (into the nodes added since `before`) are projection edges too. */
  private markProjection(before: number) {
    const ids = new Set(this.nodes.slice(before).map((n) => n.id));
    for (const e of this.edges) if (ids.has(e.to) && e.kind === 'flow') e.kind = 'projection';
  }
}

/**
 * The graph of a network: one node per leaf layer (or one per collapsed block), an add per residual,
 * a join per concat; flow edges along the sequence, skip edges for identity shortcuts, projection
 * edges through a projection shortcut, concat edges into every join.
 */
export function networkGraph(spec: Spec, analysis: DiagramAnalysis, options: GraphOptions = {}): DiagramGraph {
  const b = new GraphBuilder(analysis.layers, options.collapsed ?? new Set());
  const input = b.node({ id: INPUT_ID, kind: 'input', type: 'input', lines: [TEXT.input, shapeText(analysis.input)], group: null, collapsible: false }, []);
  b.sequence(spec.layers, input, null);
  if (!b.finished()) throw new Error('the analysis has more rows than the spec has layers');
  const count = (kind: DiagramEdgeKind) => b.edges.filter((e) => e.kind === kind).length;
  const joins = b.nodes.filter((n) => n.kind === 'concat').length;
  const output = analysis.layers.length > 0 ? lastTopLevelOutput(analysis.layers) : analysis.input;
  // Projection shortcuts are counted once each (at the add), not per edge.
  // The outline: top-level boxes, and each top-level frame once, where its first part appears.
  const steps: string[] = [];
  const framed = new Set<string>();
  const groupLabel = new Map(b.groups.map((g) => [g.id, g]));
  for (const n of b.nodes) {
    if (n.id === INPUT_ID) continue;
    if (n.group === null) steps.push(TEXT.outlineStep(n.id, n.kind === 'block' ? `${n.type}, ${TEXT.collapsed}` : n.kind === 'layer' && n.type !== n.id ? n.type : null));
    else {
      let top = groupLabel.get(n.group)!;
      while (top.parent !== null) top = groupLabel.get(top.parent)!;
      if (!framed.has(top.id)) {
        framed.add(top.id);
        steps.push(top.label);
      }
    }
  }
  const projections = new Set(b.edges.filter((e) => e.kind === 'projection').map((e) => b.nodes.find((n) => n.id === e.to && n.kind === 'add')?.id).filter(Boolean)).size;
  return {
    nodes: b.nodes,
    edges: b.edges,
    groups: b.groups,
    collapsible: b.collapsible,
    summary: TEXT.summary(spec.name ?? 'the network', shapeText(analysis.input), shapeText(output), b.nodes.length, b.collapsedCount, count('skip'), projections, joins),
    outline: TEXT.outline(steps),
  };
}

function lastTopLevelOutput(rows: readonly DiagramRow[]): readonly number[] {
  for (let i = rows.length - 1; i >= 0; i--) if (rows[i]!.depth === 0) return rows[i]!.output;
  return rows[rows.length - 1]!.output;
}
