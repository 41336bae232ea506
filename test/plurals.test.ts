/**
 * Issue 12: "1 sides", "1 lapses". Count + noun sentences go through countOf / nounFor
 * (engine/answers/format.ts); this guards against a plural built by hand creeping back.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

// A plural chosen by hand ("item{n === 1 ? '' : 's'}"), or a count before a noun that ends in s
// with no countOf/nounFor (the sentences the issue found: lapses, attempts, students, sides).
const HAND_PLURAL = /=== 1 \? '' : 's'|!== 1 \? 's' : ''/;
const BARE_COUNT = /\{[\w.]+\}\s*(?:lapses|attempts|students|sides|questions|cards|reviews|days)\b|\$\{[\w.]+\} (?:lapses|attempts|students|sides|questions|cards|reviews|days)\b/;

describe('plurals', () => {
  const files = [...sources(path.join(root, 'engine/answers')), ...sources(path.join(root, 'app/components')), ...sources(path.join(root, 'app/routes'))];
  it.each([
    ['no plural chosen by hand', HAND_PLURAL],
    ['no bare count before a plural noun', BARE_COUNT],
  ] as const)('%s', (_name, pattern) => {
    const found = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => [line, i] as const)
        .filter(([line]) => pattern.test(line))
        .map(([line, i]) => `${path.relative(root, file)}:${i + 1}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });
});
