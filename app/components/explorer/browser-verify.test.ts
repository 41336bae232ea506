import { expect, test } from 'vitest';
import { analyze } from '../../../engine/analysis';
import { zoo } from '../../../engine/zoo';
import { verifyInBrowser, type RowVerdict, type VerifyProgress } from './browser-verify';

test('without WebGL (Node) the check falls back to the cpu, says so, and NiN agrees row by row with no tensor left', async () => {
  const progress: VerifyProgress[] = [];
  const rows: [number, RowVerdict][] = [];
  const result = await verifyInBrowser('nin_cifar10', { onProgress: (p) => progress.push(p), onRow: (i, v) => rows.push([i, v]) });
  expect(result.backend).toBe('cpu');
  expect(result.fallback).toMatch(/WebGL/);
  expect(result.error).toBeNull();
  expect(result.mismatches).toEqual([]);
  expect(result.ok).toBe(true);
  const n = analyze(zoo.find((e) => e.id === 'nin_cifar10')!.spec).layers.length;
  expect(result.layers).toBe(n);
  expect(rows.map(([i]) => i)).toEqual([...Array(n).keys()]);
  // 27 rows ≤ 60: every row with a map gets its field measured.
  expect(result.fieldsMeasured).toBe(rows.filter(([, v]) => v.fieldMeasured).length);
  expect(result.fieldsMeasured).toBeGreaterThan(20);
  expect(result.tensorsLeaked).toBe(0);
  expect(progress.at(-1)).toMatchObject({ done: n, total: n, backend: 'cpu' });
}, 60_000);
