import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../cli';
import { list } from './list';
import { summary } from './summary';

const run = (argv: string[]) => summary.run(parseArgs(argv, summary)) as { json: any; text: string };

describe('stride summary', () => {
  it('prints exactly { id, input, output, layers, totals, convention } with the per-layer keys of the README', () => {
    const doc = run(['vgg16', '--json']).json;
    expect(Object.keys(doc)).toEqual(['id', 'input', 'output', 'layers', 'totals', 'convention']);
    expect(doc.id).toBe('vgg16');
    expect(doc.input).toEqual([224, 224, 3]);
    expect(doc.output).toEqual([1000]);
    expect(doc.totals).toEqual({ params: 138_357_544, macs: 15_470_264_320, flops: 30_940_528_640, activations: 28_701_160, memory: 15_237_608 });
    expect(doc.convention).toMatchObject({ name: 'torchvision', published: { by: 'torchvision.models.vgg16', params: 138_357_544 } });
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

  it('the output is the network\'s final output, also where it ends in a concat (no leaf row has it)', () => {
    const doc = run(['inception_naive_cs231n', '--json']).json;
    expect(doc.output).toEqual([28, 28, 128 + 192 + 96 + 256]);
    expect(doc.layers.some((l: { output: number[] }) => l.output.join() === doc.output.join())).toBe(false);
    expect(run(['inception_bottleneck_cs231n', '--json']).json.output).toEqual([28, 28, 480]);
    expect(run(['googlenet', '--json']).json.output).toEqual([1000]);
    expect(run(['inception_naive_cs231n']).text.split('\n')[0]).toMatch(/input 28×28×256, output 28×28×672$/);
  });

  it("--convention keras gives Keras Applications' counts for the v1 ResNets and VGG16, and says so", () => {
    const keras: Record<string, number> = { resnet50_v1: 25_636_712, resnet101_v1: 44_707_176, resnet152_v1: 60_419_944, vgg16: 138_357_544 };
    for (const [id, params] of Object.entries(keras)) {
      const doc = run([id, '--convention', 'keras', '--json']).json;
      expect(doc.totals.params, id).toBe(params);
      expect(doc.convention.name).toBe('keras');
      expect(doc.convention.published.params).toBe(params);
    }
    expect(run(['resnet50_v1', '--convention=keras']).text).toMatch(/Convention: keras — Keras \(keras\.applications\.ResNet50\).*reproduces keras\.applications\.ResNet50's published 25,636,712/);
    // No Keras model for torchvision's v1.5: the count is given under Keras's rule, never called Keras's.
    const v15 = run(['resnet50', '--convention', 'keras', '--json']).json;
    expect(v15.totals.params).toBe(25_610_152);
    expect(v15.convention).toMatchObject({ name: 'keras', published: null });
    expect(run(['resnet50', '--convention', 'keras']).text).toMatch(/Convention: keras — .*not a Keras figure\)\.$/m);
  });

  it('the old flags are aliases where they mean the same: --no-bias is lecture, --bn-stats is keras except on the Keras ResNets', () => {
    expect(run(['alexnet_cs231n', '--no-bias', '--json']).json).toEqual(run(['alexnet_cs231n', '--convention', 'lecture', '--json']).json);
    expect(run(['densenet121', '--bn-stats', '--json']).json).toEqual(run(['densenet121', '--convention', 'keras', '--json']).json);
    expect(run(['vgg16', '--bn-stats', '--json']).json).toEqual(run(['vgg16', '--convention', 'keras', '--json']).json);
    const stats = run(['resnet50_v1', '--bn-stats', '--json']).json;
    expect(stats.totals.params).toBe(25_610_152);
    expect(stats.convention).toMatchObject({ name: null, published: null });
    expect(() => run(['vgg16', '--convention', 'keras', '--no-bias'])).toThrow("--convention keras already sets the counting; leave out --no-bias");
    expect(() => run(['vgg16', '--convention', 'pytorch'])).toThrow("--convention must be one of torchvision, keras, lecture; got 'pytorch'");
    expect(run(['alexnet_cs231n', '--json']).json.convention).toMatchObject({ name: 'torchvision', published: null });
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
    expect(text).toContain('Counting: params count weights, biases');
    expect(text).toContain("Convention: torchvision — Weights, biases, batch-norm γ and β (torchvision's rule; torchvision publishes no count for this network).");
    expect(text).toContain('Total memory: 936,323 values');
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
