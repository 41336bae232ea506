import { describe, expect, it } from 'vitest';
import { getEditableBank, saveBankText, starterBankYaml } from '../../app/models/authoring.server';
import { addNetworkQuestion } from '../../app/workbench/question.server';
import { networkVariant } from '../../engine/bank/item';
import type { NetworkItem } from '../../engine/bank/schema';
import { getArch } from '../../engine/zoo';
import { addUser, eachTestWithInstructor } from './fixture';

const ctx = eachTestWithInstructor();
const now = new Date('2026-12-01T12:00:00Z');

const question = (over: Partial<NetworkItem> = {}): NetworkItem => ({
  id: 'cs231n-conv1-params',
  kind: 'network',
  topic: 'parameters',
  tags: [],
  title: 'Params of conv1',
  spec: getArch('alexnet_cs231n').spec,
  quantity: 'params',
  layer: 'conv1',
  ...over,
});

describe('making a question of a workbench network', () => {
  it('appends a network item to the instructor’s bank as a new version, read back exactly and answered by the engine', async () => {
    const { db } = ctx.t;
    const made = await saveBankText({ db, userId: ctx.instructor, text: starterBankYaml('wb-bank', 'Workbench bank'), now });
    expect(made.ok).toBe(true);
    const before = await getEditableBank({ db, userId: ctx.instructor, bankId: 'wb-bank' });
    const result = await addNetworkQuestion({ db, userId: ctx.instructor, bankId: 'wb-bank', item: question(), now });
    expect(result).toEqual({ ok: true, bankId: 'wb-bank', version: before.bank.version + 1 });
    const after = await getEditableBank({ db, userId: ctx.instructor, bankId: 'wb-bank' });
    const stored = after.parsed.items.find((i) => i.id === 'cs231n-conv1-params');
    expect(stored).toEqual(question());
    expect(networkVariant(stored as NetworkItem).answer.value).toBe(34_944);
    expect(after.parsed.items).toHaveLength(before.parsed.items.length + 1);
  });

  it('refuses a layer the network does not have, a duplicate id, and another instructor’s bank', async () => {
    const { db } = ctx.t;
    await saveBankText({ db, userId: ctx.instructor, text: starterBankYaml('wb-bank', 'Workbench bank'), now });
    expect(await addNetworkQuestion({ db, userId: ctx.instructor, bankId: 'wb-bank', item: question({ layer: 'conv9' }), now })).toMatchObject({ ok: false, errors: { layer: expect.stringMatching(/^no layer 'conv9'/) } });
    await addNetworkQuestion({ db, userId: ctx.instructor, bankId: 'wb-bank', item: question(), now });
    expect(await addNetworkQuestion({ db, userId: ctx.instructor, bankId: 'wb-bank', item: question(), now })).toMatchObject({ ok: false, errors: { id: expect.stringContaining('already has') } });
    const other = await addUser(db, { email: 'otto@example.test', role: 'instructor' });
    await expect(addNetworkQuestion({ db, userId: other, bankId: 'wb-bank', item: question({ id: 'x' }), now })).rejects.toBeTruthy();
  });
});
