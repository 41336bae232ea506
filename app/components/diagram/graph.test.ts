import { describe, expect, test } from 'vitest';
import { analyze } from '../../../engine/analysis';
import type { Layer, Spec } from '../../../engine/spec';
import { getArch } from '../../../engine/zoo';
import { INPUT_ID, networkGraph, topLevelBlocks, type DiagramGraph } from './graph';

/** Counts read straight off the spec, without the graph's code: leaves, residuals (with and without a projection), concats and their branches. */
function specCounts(layers: readonly Layer[]) {
  const c = { leaves: 0, identity: 0, projection: 0, concats: 0, branches: 0, emptyBranches: 0 };
  const walk = (ls: readonly Layer[]) => {
    for (const l of ls) {
      if (l.kind === 'block') walk(l.layers);
      else if (l.kind === 'residual') {
        walk(l.body);
        if (l.shortcut && l.shortcut.length > 0) {
          c.projection++;
          walk(l.shortcut);
        } else c.identity++;
      } else if (l.kind === 'concat') {
        c.concats++;
        c.branches += l.branches.length;
        c.emptyBranches += l.branches.filter((b) => b.length === 0).length;
        l.branches.forEach(walk);
      } else c.leaves++;
    }
  };
  walk(layers);
  return c;
}

function graphOf(id: string, collapsed?: Set<string>): { spec: Spec; graph: DiagramGraph } {
  const spec = getArch(id).spec;
  return { spec, graph: networkGraph(spec, analyze(spec), { collapsed }) };
}

function edgeCount(graph: DiagramGraph, kind: string): number {
  return graph.edges.filter((e) => e.kind === kind).length;
}

/** Every edge joins two nodes of the graph, ids are unique, and every node is reached from the input going forward only. */
function expectWellFormed(graph: DiagramGraph) {
  const ids = graph.nodes.map((n) => n.id);
  expect(new Set(ids).size).toBe(ids.length);
  const order = new Map(ids.map((id, i) => [id, i]));
  for (const e of graph.edges) {
    expect(order.has(e.from), e.from).toBe(true);
    expect(order.has(e.to), e.to).toBe(true);
    // Nodes are listed in flow order: an edge never points back (the graph is acyclic).
    expect(order.get(e.from)!).toBeLessThan(order.get(e.to)!);
  }
  const reached = new Set([INPUT_ID]);
  for (const e of graph.edges) if (reached.has(e.from)) reached.add(e.to);
  expect(reached.size).toBe(ids.length);
}

describe('networkGraph on the zoo, against the spec', () => {
  test('resnet34: a box per leaf layer, an add per unit, 13 identity skips and 3 projection shortcuts', () => {
    const { spec, graph } = graphOf('resnet34');
    const c = specCounts(spec.layers);
    // ResNet-34: 3 + 4 + 6 + 3 basic units; the first unit of stages 2-4 projects.
    expect(c.identity + c.projection).toBe(16);
    expect(c.projection).toBe(3);
    expect(graph.nodes.filter((n) => n.kind === 'layer')).toHaveLength(c.leaves);
    expect(graph.nodes.filter((n) => n.kind === 'add')).toHaveLength(16);
    expect(graph.nodes).toHaveLength(1 + c.leaves + 16);
    expect(edgeCount(graph, 'skip')).toBe(13);
    // Each projection is conv + bn: input → conv → bn → add.
    expect(edgeCount(graph, 'projection')).toBe(3 * 3);
    // Every node but the input has one edge in, an add two: edges = nodes − 1 + adds.
    expect(graph.edges).toHaveLength(graph.nodes.length - 1 + 16);
    expectWellFormed(graph);
    // The skip of layer1/0 leaves the stem's maxpool and joins at the unit's add.
    expect(graph.edges).toContainEqual({ from: 'maxpool', to: 'layer1/0/residual', kind: 'skip' });
    expect(graph.edges).toContainEqual({ from: 'layer1/2/relu', to: 'layer2/0/residual/shortcut/conv', kind: 'projection' });
  });

  test('googlenet: nine inception modules of four branches, side by side into their concat', () => {
    const { spec, graph } = graphOf('googlenet');
    const c = specCounts(spec.layers);
    expect(c.concats).toBe(9);
    expect(c.branches).toBe(36);
    expect(graph.nodes.filter((n) => n.kind === 'layer')).toHaveLength(c.leaves);
    expect(graph.nodes.filter((n) => n.kind === 'concat')).toHaveLength(9);
    expect(edgeCount(graph, 'concat')).toBe(36);
    expect(edgeCount(graph, 'skip') + edgeCount(graph, 'projection')).toBe(0);
    // A concat of b branches has b edges in: edges = nodes − 1 + Σ (b − 1).
    expect(graph.edges).toHaveLength(graph.nodes.length - 1 + (36 - 9));
    expectWellFormed(graph);
    // The four branches of inception3a all start from the same node.
    const fork = graph.edges.filter((e) => e.from === 'maxpool2').map((e) => e.to);
    expect(fork).toEqual(['inception3a/branch1/conv1', 'inception3a/branch2/conv1', 'inception3a/branch3/conv1', 'inception3a/branch4/pool']);
    const join = graph.edges.filter((e) => e.to === 'inception3a').map((e) => e.from);
    expect(join).toEqual(['inception3a/branch1/relu1', 'inception3a/branch2/relu2', 'inception3a/branch3/relu2', 'inception3a/branch4/relu1']);
    expect(graph.groups.map((g) => g.id)).toEqual(['inception3a', 'inception3b', 'inception4a', 'inception4b', 'inception4c', 'inception4d', 'inception4e', 'inception5a', 'inception5b']);
  });

  test("densenet121: 58 dense layers, each concatenating its input (the empty branch) with its new features", () => {
    const { spec, graph } = graphOf('densenet121');
    const c = specCounts(spec.layers);
    expect(c.concats).toBe(6 + 12 + 24 + 16);
    expect(c.emptyBranches).toBe(58);
    expect(graph.nodes.filter((n) => n.kind === 'layer')).toHaveLength(c.leaves);
    expect(graph.nodes.filter((n) => n.kind === 'concat')).toHaveLength(58);
    expect(edgeCount(graph, 'concat')).toBe(2 * 58);
    expect(graph.edges).toHaveLength(graph.nodes.length - 1 + 58);
    expectWellFormed(graph);
    // denselayer2 concatenates denselayer1's output itself with what its own branch made of it.
    const into = graph.edges.filter((e) => e.to === 'denseblock1/denselayer2').map((e) => e.from);
    expect(into.sort()).toEqual(['denseblock1/denselayer1', 'denseblock1/denselayer2/branch2/conv2']);
  });

  test('collapsing the top-level blocks leaves one box per stage; nested blocks stay listed', () => {
    const spec = getArch('resnet34').spec;
    const analysis = analyze(spec);
    const top = topLevelBlocks(spec, analysis);
    expect(top).toEqual(['layer1', 'layer2', 'layer3', 'layer4']);
    const graph = networkGraph(spec, analysis, { collapsed: new Set(top) });
    expect(graph.nodes).toHaveLength(1 + spec.layers.length); // 12 with the input's
    expect(graph.nodes.filter((n) => n.kind === 'block').map((n) => n.id)).toEqual(top);
    expect(graph.edges).toHaveLength(spec.layers.length);
    expect(graph.edges.every((e) => e.kind === 'flow')).toBe(true);
    expect(graph.groups).toEqual([]);
    // The 4 stages and their 16 units, in spec order, whether drawn or not.
    expect(graph.collapsible).toEqual(networkGraph(spec, analysis).collapsible);
    expect(graph.collapsible).toHaveLength(4 + 16);
    expect(graph.summary).toBe('Diagram of resnet34: input 224×224×3 to output 1000; 12 boxes, 4 collapsed blocks.');
    expect(graph.outline).toBe(
      'From input to output: conv1 (conv) → bn1 (batchnorm) → relu → maxpool → layer1 (resnet_stage, collapsed) → layer2 (resnet_stage, collapsed) → layer3 (resnet_stage, collapsed) → layer4 (resnet_stage, collapsed) → avgpool (globalavgpool) → flatten → fc (dense).',
    );
    expect(networkGraph(spec, analysis, { collapsed: new Set(['layer2', 'layer3', 'layer4']) }).outline).toContain('maxpool → layer1 (resnet_stage) → layer2 (resnet_stage, collapsed)');
    // A collapsed stage's box carries the stage's own row numbers.
    const row = analysis.layers.find((r) => r.name === 'layer2')!;
    const box = graph.nodes.find((n) => n.id === 'layer2')!;
    expect(box.lines).toContain('28×28×128');
    expect(box.lines.some((l) => l.includes(`${row.params.toLocaleString('en-US')} params`))).toBe(true);
  });

  test('collapsing one unit inside an expanded stage: its parts go, the skip around it too', () => {
    const spec = getArch('resnet34').spec;
    const analysis = analyze(spec);
    const full = networkGraph(spec, analysis);
    const graph = networkGraph(spec, analysis, { collapsed: new Set(['layer1/1']) });
    const inside = full.nodes.filter((n) => n.id.startsWith('layer1/1/')).length;
    expect(graph.nodes).toHaveLength(full.nodes.length - inside + 1);
    expect(graph.nodes.some((n) => n.id.startsWith('layer1/1/'))).toBe(false);
    expect(edgeCount(graph, 'skip')).toBe(12);
    expect(graph.groups.map((g) => g.id)).not.toContain('layer1/1');
    expectWellFormed(graph);
  });

  test('a box per node path of the analysis (the table rows use the same ids)', () => {
    for (const id of ['squeezenet1_0', 'vgg16', 'alexnet_cs231n']) {
      const spec = getArch(id).spec;
      const analysis = analyze(spec);
      const names = new Set(analysis.layers.map((r) => r.name));
      const graph = networkGraph(spec, analysis);
      for (const n of graph.nodes) if (n.id !== INPUT_ID) expect(names.has(n.id), n.id).toBe(true);
      expectWellFormed(graph);
    }
  });

  test('an analysis of another spec is refused', () => {
    const a = getArch('vgg16').spec;
    const b = getArch('resnet18').spec;
    expect(() => networkGraph(a, analyze(b))).toThrow(/does not match the spec/);
  });
});
