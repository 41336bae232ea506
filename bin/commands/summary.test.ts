import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../cli';
import { list } from './list';
import { summary } from './summary';

const run = (argv: string[]) => summary.run(parseArgs(argv, summary)) as { json: any; text: string };

describe('stride summary', () => {
  it('prints exactly { id, input, layers, totals } with the per-layer keys of DESIGN.md', () => {
    const doc = run(['vgg16', '--json']).json;
    expect(Object.keys(doc)).toEqual(['id', 'input', 'layers', 'totals']);
    expect(doc.id).toBe('vgg16');
    expect(doc.input).toEqual([224, 224, 3]);
    expect(doc.totals).toEqual({ params: 138_357_544, macs: 15_470_264_320, flops: 30_940_528_640, activations: doc.totals.activations });
    for (const layer of doc.layers) {
      for (const key of ['name', 'type', 'output', 'params', 'macs', 'activations', 'rf']) expect(layer).toHaveProperty(key);
      expect(Object.keys(layer.rf)).toEqual(['size', 'jump', 'start']);
    }
    expect(doc.layers.find((l: { name: string }) => l.name === 'pool5').rf).toEqual({ size: 212, jump: 32, start: 15.5 });
  });

  it('layers are the leaf layers: their params and MACs add up to the totals (no block row counted twice)', () => {
    for (const id of ['vgg16', 'resnet50']) {
      const doc = run([id, '--json']).json;
      const sum = (key: 'params' | 'macs' | 'activations') => doc.layers.reduce((n: number, l: Record<string, number>) => n + l[key]!, 0);
      expect(sum('params'), `${id} params`).toBe(doc.totals.params);
      expect(sum('macs'), `${id} macs`).toBe(doc.totals.macs);
      expect(sum('activations'), `${id} activations`).toBe(doc.totals.activations);
      expect(doc.layers.some((l: { aggregate?: boolean }) => 'aggregate' in l)).toBe(false);
    }
    const resnet = run(['resnet50', '--json']).json;
    const inBlocks = resnet.layers.filter((l: { block: string | null }) => l.block !== null);
    expect(inBlocks.length).toBeGreaterThan(0);
    for (const l of inBlocks) expect(l.name.startsWith(`${l.block}/`)).toBe(true);
    expect(resnet.layers[0]).toMatchObject({ name: 'conv1', depth: 0, block: null });
    // The human table still shows the block rows.
    expect(run(['resnet50']).text.split('\n').length).toBeGreaterThan(resnet.layers.length);
  });

  it('--no-bias and --bn-stats change the count as the conventions say', () => {
    expect(run(['alexnet_cs231n', '--no-bias']).json.layers[0].params).toBe(34_848);
    const plain = run(['resnet18']).json.totals.params;
    const stats = run(['resnet18', '--bn-stats']).json.totals.params;
    // Running mean + variance of resnet18's BN channels: stem 64, 4 convs a stage, plus the 3 projections.
    const channels = 64 + 4 * 64 + (4 * 128 + 128) + (4 * 256 + 256) + (4 * 512 + 512);
    expect(stats - plain).toBe(2 * channels);
  });

  it('the human form is a table with totals and the convention under it', () => {
    const { text } = run(['alexnet_cs231n']);
    expect(text).toMatch(/^conv1 \(conv\)\s+55×55×96\s+34,944\s+105,415,200\s+11$/m);
    expect(text).toContain('Total params: 62,378,344');
    expect(text).toContain('Convention: params count weights, biases');
  });

  it('an unknown or missing arch is a usage error listing the ids', () => {
    expect(() => run(['vgg99'])).toThrow(UsageError);
    expect(() => run(['vgg99'])).toThrow(/unknown architecture 'vgg99'; known: alexnet_cs231n, alexnet, zfnet/);
    expect(() => run([])).toThrow(UsageError);
    expect(() => parseArgs(['vgg16', '--bias'], summary)).toThrow(/unknown option '--bias'/);
  });

  it('list gives id, name and year for every architecture', () => {
    const rows = (list.run(parseArgs(['--json'], list)) as { json: { id: string; name: string; year: number }[] }).json;
    expect(rows).toHaveLength(30);
    expect(rows[0]).toEqual({ id: 'alexnet_cs231n', name: 'AlexNet (CS231n, single column)', year: 2012 });
  });

  it('through the real command line: exit 2 and nothing on stdout for an unknown arch', () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const tsx = path.join(root, 'node_modules/.bin/tsx');
    const bad = spawnSync(tsx, ['bin/stride.ts', 'summary', 'lenet'], { cwd: root, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/unknown architecture 'lenet'/);
  });
});
