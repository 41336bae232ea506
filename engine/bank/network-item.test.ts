import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis';
import { getArch, zoo } from '../zoo';
import { engineAgreement, gateBank, sampleNetworkItem } from './gate';
import { gradeBankItem, itemAnswer, networkItemProblems, networkVariant, presentBankItem } from './item';
import { parseBank } from './parse';
import { itemSchema, networkQuantities, type NetworkItem } from './schema';

const item = (over: Partial<NetworkItem> & Pick<NetworkItem, 'spec' | 'quantity'>): NetworkItem =>
  itemSchema.parse({ id: 'net-q', kind: 'network', topic: 'parameters', tags: [], title: 'A network', ...over }) as NetworkItem;

describe('the network item kind', () => {
  const cs231n = getArch('alexnet_cs231n').spec;

  it('answers the CS231n AlexNet conv1 as the reference table does (test/reference/cnn-reference.tsv)', () => {
    // output_shape CONV1 55x55x96; params CONV1 34944; weights CONV1 (no bias) 34848.
    expect(networkVariant(item({ spec: cs231n, quantity: 'output', layer: 'conv1' })).answer).toMatchObject({ kind: 'shape', value: [55, 55, 96], display: '55×55×96' });
    expect(networkVariant(item({ spec: cs231n, quantity: 'params', layer: 'conv1' })).answer.value).toBe(34_944);
    expect(networkVariant(item({ spec: cs231n, quantity: 'params', layer: 'conv1', bias: false })).answer.value).toBe(34_848);
  });

  it.each(zoo.filter((e) => e.published?.params !== undefined).map((e) => [e.id, e.published!.params!] as const))('%s: whole-network params equal the published %d', (id, published) => {
    const v = networkVariant(item({ spec: getArch(id).spec, quantity: 'params' }));
    expect(v.answer.value).toBe(published);
  });

  it('answers every quantity of every row of a network as engine/analysis.ts gives it, and grades that figure right', () => {
    const spec = getArch('resnet18').spec;
    const rows = analyze(spec).layers;
    let checked = 0;
    for (const row of rows.filter((_, i) => i % 7 === 0)) {
      for (const quantity of networkQuantities) {
        const it0 = item({ spec, quantity, layer: row.name });
        if (networkItemProblems(it0).length) continue;
        const v = networkVariant(it0);
        const expected = { output: row.output, channels: row.output.at(-1), params: row.params, macs: row.macs, flops: 2 * row.macs, activations: row.activations, rf: row.rf.size }[quantity];
        expect(v.answer.value, `${row.name} ${quantity}`).toEqual(expected);
        expect(engineAgreement(v).problem).toBeNull();
        const g = gradeBankItem(it0, null, v.answer.display);
        expect(g.correct, `${row.name} ${quantity}: ${v.answer.display}`).toBe(true);
        expect(g.spec).toEqual(spec);
        expect(g.source).toMatchObject({ quantity, row: row.name });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('grades a wrong answer wrong and shows the question without the answer', () => {
    const it0 = item({ spec: cs231n, quantity: 'output', layer: 'conv1' });
    expect(gradeBankItem(it0, null, '54×54×96').correct).toBe(false);
    const face = presentBankItem(it0, null);
    expect(face.mode).toBe('typed');
    expect(face.prompt).toContain('What is the output shape (H×W×C) of layer `conv1`?');
    expect(face.prompt).not.toContain('55×55×96');
    const back = itemAnswer(it0, null);
    expect(back.answer).toBe('55×55×96');
    expect(back.explanation.trim().split('\n').at(-1)).toMatch(/55×55×96$/);
  });

  it('refuses a layer that is not there and a quantity that does not apply', () => {
    expect(networkItemProblems(item({ spec: cs231n, quantity: 'output', layer: 'conv9' }))[0]).toMatchObject({ path: ['layer'], message: expect.stringMatching(/^no layer 'conv9' in this network; its layers: conv1, relu1, /) });
    expect(networkItemProblems(item({ spec: cs231n, quantity: 'params', layer: 'relu1' }))[0]).toMatchObject({ path: ['quantity'] });
    expect(networkItemProblems(item({ spec: cs231n, quantity: 'channels', layer: 'fc6' }))[0]).toMatchObject({ path: ['quantity'] });
    const broken = { input: [8, 8, 1] as [number, number, number], layers: [{ kind: 'conv' as const, filters: 2, kernel: 9 }] };
    expect(networkItemProblems(item({ spec: broken, quantity: 'output' }))[0]!.message).toMatch(/^the engine cannot analyse the network: conv1: kernel 9×9 is larger than the padded input 8×8/);
    expect(sampleNetworkItem(item({ spec: broken, quantity: 'output' }))[0]!.ok).toBe(false);
  });

  it('is checked by the bank parser (at the item) and the gate (`bank check`)', () => {
    const yaml = (layer: string) => `id: wb\ntitle: W\ndescription: d\nversion: "1.0.0"\nitems:\n  - id: q1\n    kind: network\n    topic: parameters\n    tags: []\n    title: Conv1 params\n    quantity: params\n    layer: ${layer}\n    spec:\n      input: [32, 32, 3]\n      layers:\n        - {kind: conv, filters: 8, kernel: 3, padding: same}\n        - {kind: relu}\n`;
    const good = parseBank({ files: [{ name: 'bank.yaml', text: yaml('conv1') }] });
    expect(good.ok).toBe(true);
    if (good.ok) {
      const gates = gateBank(good.bank);
      expect(gates).toHaveLength(1);
      expect(gates[0]!.ok).toBe(true);
      expect(gates[0]!.checks[0]!.measured).toBe('224');
    }
    const bad = parseBank({ files: [{ name: 'bank.yaml', text: yaml('relu1') }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.message).join('\n')).toMatch(/params does not apply to `relu1`/);
  });
});
