/**
 * The review page's first-load JavaScript stays within 100 KB gzip (issue 17), computed from the
 * build output (`npm run build` first, as for the browser tests): the engine panel's body, tfjs
 * and the engine's analysis load later (a dynamic import; the engine worker).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstLoadJs } from './support/bundle';
import { repoRoot } from './support/server';

const BUDGET_BYTES = 100 * 1024;

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

const metafile = () => JSON.parse(readFileSync(path.join(repoRoot, 'build/metafile.js.json'), 'utf8')) as Metafile;

describe('first-load JavaScript', () => {
  it('/review loads at most 100 KB gzip before interaction', () => {
    const review = firstLoadJs('review.tsx');
    const listing = review.scripts.map((s) => `${(s.gzipBytes / 1024).toFixed(1)} KB ${s.file}`).join('\n');
    expect(review.gzipBytes, listing).toBeLessThanOrEqual(BUDGET_BYTES);
    // More than the framework alone: the route's own chunks are counted.
    expect(review.gzipBytes).toBeGreaterThan(firstLoadJs(null).gzipBytes);
  });

  it('/review loads neither tfjs, nor the engine analysis, nor the panel body up front', () => {
    const { outputs } = metafile();
    const inputs = firstLoadJs('review.tsx').scripts.flatMap((s) => Object.keys(outputs[s.file]?.inputs ?? {}));
    expect(inputs.length).toBeGreaterThan(0);
    expect(inputs.filter((i) => /@tensorflow|engine\/analysis\.ts|engine\/tfjs\/|app\/engine-report\.ts|app\/engine-worker\//.test(i))).toEqual([]);
    expect(inputs).toContain('app/components/engine-panel.tsx');
  });

  it('the engine worker is bundled with tfjs into public/build', () => {
    const worker = path.join(repoRoot, 'public/build/engine-worker.js');
    expect(existsSync(worker), 'npm run build writes public/build/engine-worker.js').toBe(true);
    const text = readFileSync(worker, 'utf8');
    expect(text).toMatch(/webgl/);
    expect(text.length).toBeGreaterThan(500_000);
  });
});
