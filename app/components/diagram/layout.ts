/**
 * Lays a diagram graph out with elkjs (layered, top to bottom), in node or the browser. elkjs is
 * ~1.4 MB, so it is imported only when a layout is asked for: a module that imports this file
 * does not carry elkjs in its own chunk (decision 0028). The same graph always gives the same
 * layout (elk's layered algorithm is deterministic; coordinates are rounded).
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { DiagramEdge, DiagramGraph, DiagramGroup, DiagramNode } from './graph';
import { DIAGRAM_FONT, GROUP_HEADER, GROUP_PAD, nodeSize } from './metrics';

export { DIAGRAM_FONT, GROUP_HEADER, nodeSize };

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type PlacedNode = DiagramNode & Box;
export type PlacedGroup = DiagramGroup & Box;
export type PlacedEdge = DiagramEdge & { points: [number, number][] };

export interface DiagramLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  groups: PlacedGroup[];
  edges: PlacedEdge[];
  /** Every collapsible block, expanded or not (the graph's list). */
  collapsible: string[];
  summary: string;
  outline: string;
}

type Elk = { layout(graph: ElkNode, args?: { layoutOptions?: Record<string, string> }): Promise<ElkNode> };
let elk: Promise<Elk> | null = null;

async function loadElk(): Promise<Elk> {
  elk ??= import('elkjs/lib/elk.bundled.js').then((mod) => {
    // CommonJS default through esbuild, tsx and the browser alike.
    const m = mod as unknown as { default: unknown };
    const Ctor = ((m.default as { default?: unknown }).default ?? m.default) as new () => Elk;
    return new Ctor();
  });
  return elk;
}

const ROOT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '22',
  'elk.spacing.nodeNode': '18',
  'elk.spacing.edgeNode': '12',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  // Branches start in one row, side by side (the default layering slides short branches down to their join).
  'elk.layered.layering.strategy': 'LONGEST_PATH_SOURCE',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.randomSeed': '1',
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
  'elk.padding': '[top=8,left=8,bottom=8,right=8]',
};

const GROUP_OPTIONS: Record<string, string> = {
  'elk.padding': `[top=${GROUP_HEADER + GROUP_PAD},left=${GROUP_PAD},bottom=${GROUP_PAD},right=${GROUP_PAD}]`,
  'elk.nodeSize.constraints': 'MINIMUM_SIZE',
  'elk.layered.layering.strategy': 'LONGEST_PATH_SOURCE',
};

/** A group's elk id: an inception module's frame and its concat share the module's path. */
const groupKey = (id: string) => `group:${id}`;

/** The elk graph of a diagram graph: groups become compound nodes holding their parts. */
function elkGraph(graph: DiagramGraph): ElkNode {
  const byId = new Map<string, ElkNode>();
  const root: ElkNode = { id: '__root', layoutOptions: ROOT_OPTIONS, children: [], edges: [] };
  for (const g of graph.groups) {
    const minWidth = Math.ceil((g.label.length + 4) * DIAGRAM_FONT.charWidth + 2 * GROUP_PAD);
    byId.set(g.id, { id: groupKey(g.id), children: [], layoutOptions: { ...GROUP_OPTIONS, 'elk.nodeSize.minimum': `(${minWidth},40)` } });
  }
  const container = (group: string | null) => (group === null ? root : byId.get(group)!);
  for (const g of graph.groups) container(g.parent).children!.push(byId.get(g.id)!);
  for (const n of graph.nodes) container(n.group).children!.push({ id: n.id, ...nodeSize(n) });
  root.edges = graph.edges.map((e, i): ElkExtendedEdge => ({ id: `e${i}`, sources: [e.from], targets: [e.to] }));
  return root;
}

const r = (v: number) => Math.round(v * 10) / 10;

/** Lay a graph out: every node and group placed, every edge a polyline (root coordinates). */
export async function layoutDiagram(graph: DiagramGraph): Promise<DiagramLayout> {
  const engine = await loadElk();
  const laid = await engine.layout(elkGraph(graph));
  const placed = new Map<string, Box>();
  const edges = new Map<string, ElkExtendedEdge>();
  const visit = (n: ElkNode) => {
    for (const c of n.children ?? []) {
      placed.set(c.id, { x: r(c.x ?? 0), y: r(c.y ?? 0), width: r(c.width ?? 0), height: r(c.height ?? 0) });
      visit(c);
    }
    for (const e of n.edges ?? []) edges.set(e.id, e);
  };
  visit(laid);
  const at = (id: string): Box => {
    const box = placed.get(id);
    if (!box) throw new Error(`elk did not place ${id}`);
    return box;
  };
  return {
    width: Math.ceil(laid.width ?? 0),
    height: Math.ceil(laid.height ?? 0),
    nodes: graph.nodes.map((n) => ({ ...n, ...at(n.id) })),
    groups: graph.groups.map((g) => ({ ...g, ...at(groupKey(g.id)) })),
    edges: graph.edges.map((e, i) => {
      const sections = edges.get(`e${i}`)?.sections ?? [];
      const points: [number, number][] = [];
      for (const s of sections) {
        for (const p of [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]) points.push([r(p.x), r(p.y)]);
      }
      return { ...e, points };
    }),
    collapsible: graph.collapsible,
    summary: graph.summary,
    outline: graph.outline,
  };
}
