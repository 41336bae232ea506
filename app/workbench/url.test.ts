import { describe, expect, it } from 'vitest';
import { analyze } from '../../engine/analysis';
import { SpecError } from '../../engine/errors';
import { zoo } from '../../engine/zoo';
import { LINK_ERRORS, decodeSpecParam, decodeState } from './decode.server';
import { EMPTY_SPEC, enginePaths, readPadding, readPair, removeAt, updateLayer } from './edit';
import { encodeSpec, stateSearch, toBase64Url } from './url';

const b64 = (text: string) => toBase64Url(new TextEncoder().encode(text));

describe('workbench links', () => {
  it.each(zoo.map((e) => [e.id, e] as const))('round-trips %s exactly: encode → decode → the same spec', (_id, entry) => {
    const decoded = decodeSpecParam(encodeSpec(entry.spec));
    expect(decoded.ok).toBe(true);
    expect(decoded.state.spec).toEqual(entry.spec);
    // The unchanged zoo network's short link.
    expect(stateSearch({ arch: entry.id, spec: entry.spec })).toBe(`?arch=${entry.id}`);
    expect(decodeState(new URLSearchParams(stateSearch({ arch: entry.id, spec: entry.spec }))).state.spec).toBe(entry.spec);
  });

  it('round-trips an edited network through the search string', () => {
    const spec = updateLayer(zoo[0]!.spec, ['layers', 0], { stride: [2, 3], padding: 'same' });
    const search = new URLSearchParams(stateSearch({ arch: null, spec }));
    const back = decodeState(search);
    expect(back.ok).toBe(true);
    expect(back.state.spec).toEqual(spec);
    expect(back.state.spec.layers[0]).toMatchObject({ stride: [2, 3], padding: 'same' });
  });

  it('keeps an invalid-but-well-formed network (kernel 0) so the engine can say where', () => {
    const spec = { input: [8, 8, 1] as const, layers: [{ kind: 'conv' as const, filters: 4, kernel: 0 }] };
    const back = decodeSpecParam(encodeSpec(spec));
    expect(back.ok).toBe(true);
    expect(() => analyze(back.state.spec)).toThrow(new SpecError('conv1', 'kernel must be a positive integer, got 0'));
  });

  it.each([
    ['not base64url', 'abc$%', LINK_ERRORS.notBase64],
    ['not JSON', b64('{"v":1,'), LINK_ERRORS.notJson],
    ['another version', b64('{"v":2,"spec":{}}'), LINK_ERRORS.version(2)],
    ['an unknown layer kind', b64('{"v":1,"spec":{"input":[8,8,1],"layers":[{"kind":"eval","code":"alert(1)"}]}}'), null],
    ['an extra key on a layer', b64('{"v":1,"spec":{"input":[8,8,1],"layers":[{"kind":"relu","onload":"x"}]}}'), null],
    ['a huge size', b64('{"v":1,"spec":{"input":[100000,8,1],"layers":[]}}'), null],
    ['an extra top-level key', b64('{"v":1,"spec":{"input":[8,8,1],"layers":[]},"x":1}'), null],
    ['a too-long link', 'A'.repeat(400_001), LINK_ERRORS.tooLong],
  ])('refuses %s with a message and the empty workbench', (_what, n, message) => {
    const back = decodeSpecParam(n);
    expect(back.ok).toBe(false);
    if (back.ok) return;
    if (message) expect(back.message).toBe(message);
    else expect(back.message).toMatch(/^This workbench link does not describe a network: .+\. It was not opened\.$/);
    expect(back.state.spec).toEqual(EMPTY_SPEC);
  });

  it('refuses an unknown zoo id', () => {
    const back = decodeState(new URLSearchParams('arch=nope'));
    expect(back).toMatchObject({ ok: false, message: LINK_ERRORS.unknownArch('nope') });
  });
});

describe('workbench editing', () => {
  it.each(zoo.map((e) => [e.id, e] as const))('names every layer of %s as the analysis names its rows', (_id, entry) => {
    const names = [...enginePaths(entry.spec)].map(([, name]) => name);
    expect(names).toEqual(analyze(entry.spec).layers.map((r) => r.name));
  });

  it('reads pairs and paddings as typed, and refuses what is not one', () => {
    expect(readPair('3')).toBe(3);
    expect(readPair('3,5')).toEqual([3, 5]);
    expect(readPair('3×3')).toBe(3);
    expect(readPair('-1')).toBeNull();
    expect(readPair('3,4,5')).toBeNull();
    expect(readPadding('SAME')).toBe('same');
    expect(readPadding('0,1,0,1')).toEqual([0, 1, 0, 1]);
    expect(readPadding('1,2,3')).toBeNull();
  });

  it('edits immutably', () => {
    const spec = zoo[0]!.spec;
    const removed = removeAt(spec, ['layers'], 0);
    expect(removed.layers).toHaveLength(spec.layers.length - 1);
    expect(spec.layers[0]).toBe(zoo[0]!.spec.layers[0]);
  });
});
