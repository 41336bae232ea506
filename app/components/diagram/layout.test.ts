import { describe, expect, test } from 'vitest';
import { analyze } from '../../../engine/analysis';
import { getArch } from '../../../engine/zoo';
import { networkGraph, topLevelBlocks } from './graph';
import { layoutDiagram, type Box, type DiagramLayout } from './layout';
import { nodeSize } from './metrics';

/** Layouts small enough for a unit test: resnet34 with one stage open, googlenet with two modules open, squeezenet whole. */
function graphs() {
  const resnet = getArch('resnet34').spec;
  const ra = analyze(resnet);
  const google = getArch('googlenet').spec;
  const ga = analyze(google);
  const squeeze = getArch('squeezenet1_0').spec;
  return {
    resnet34: () => networkGraph(resnet, ra, { collapsed: new Set(topLevelBlocks(resnet, ra).filter((b) => b !== 'layer2')) }),
    googlenet: () => networkGraph(google, ga, { collapsed: new Set(topLevelBlocks(google, ga).filter((b) => b !== 'inception3a' && b !== 'inception4e')) }),
    squeezenet: () => networkGraph(squeeze, analyze(squeeze)),
  };
}

const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

function expectSound(layout: DiagramLayout) {
  const view: Box = { x: 0, y: 0, width: layout.width, height: layout.height };
  for (const n of layout.nodes) {
    expect(inside(n, view), `${n.id} inside the viewBox`).toBe(true);
    expect({ width: n.width, height: n.height }).toEqual(nodeSize(n));
  }
  for (let i = 0; i < layout.nodes.length; i++) {
    for (let j = i + 1; j < layout.nodes.length; j++) {
      const a = layout.nodes[i]!;
      const b = layout.nodes[j]!;
      expect(overlap(a, b), `${a.id} overlaps ${b.id}`).toBe(false);
    }
  }
  const groups = new Map(layout.groups.map((g) => [g.id, g]));
  for (const g of layout.groups) expect(inside(g, view), `${g.id} inside the viewBox`).toBe(true);
  for (const n of layout.nodes) {
    // A box sits inside its own frame (and so every enclosing one), and outside every other frame.
    for (const g of layout.groups) {
      let holds = false;
      for (let p: string | null = n.group; p !== null; p = groups.get(p)!.parent) if (p === g.id) holds = true;
      if (holds) expect(inside(n, g), `${n.id} inside ${g.id}`).toBe(true);
      else expect(overlap(n, g), `${n.id} outside ${g.id}`).toBe(false);
    }
  }
  for (const e of layout.edges) {
    expect(e.points.length, `${e.from} → ${e.to} routed`).toBeGreaterThanOrEqual(2);
    for (const [x, y] of e.points) expect(x >= 0 && x <= layout.width && y >= 0 && y <= layout.height).toBe(true);
  }
}

describe('layoutDiagram', () => {
  test('every box inside the viewBox, none overlapping, each inside its own frame only', { timeout: 60_000 }, async () => {
    for (const [name, make] of Object.entries(graphs())) {
      const layout = await layoutDiagram(make());
      expect(layout.nodes.length, name).toBe(make().nodes.length);
      expectSound(layout);
    }
  });

  test('deterministic: the same spec gives the same layout, to the coordinate', { timeout: 60_000 }, async () => {
    const g = graphs();
    const first = await layoutDiagram(g.googlenet());
    const again = await layoutDiagram(graphs().googlenet());
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    // Another layout in between does not change it either.
    await layoutDiagram(g.resnet34());
    expect(JSON.stringify(await layoutDiagram(g.googlenet()))).toBe(JSON.stringify(first));
  });

  test('inception branches side by side; a projection shortcut beside the body it skips', { timeout: 60_000 }, async () => {
    const layout = await layoutDiagram(graphs().googlenet());
    const at = (id: string) => layout.nodes.find((n) => n.id === id)!;
    const firsts = ['branch1/conv1', 'branch2/conv1', 'branch3/conv1', 'branch4/pool'].map((p) => at(`inception3a/${p}`));
    // The four first layers are in one row, left to right in branch order.
    expect(new Set(firsts.map((b) => b.y)).size).toBe(1);
    const xs = firsts.map((b) => b.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    const res = await layoutDiagram(graphs().resnet34());
    const node = (id: string) => res.nodes.find((n) => n.id === id)!;
    const body = node('layer2/0/residual/conv1');
    const shortcut = node('layer2/0/residual/shortcut/conv');
    // Beside: their columns do not overlap.
    expect(shortcut.x + shortcut.width <= body.x || body.x + body.width <= shortcut.x).toBe(true);
    expect(node('layer2/0/residual').y).toBeGreaterThan(Math.max(node('layer2/0/residual/bn2').y, node('layer2/0/residual/shortcut/bn').y));
  });
});
