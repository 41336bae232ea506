/**
 * Arrows go down (issue 12, house style 12): models never import components or routes, the
 * CLI imports of app/ only its models and the environment schema, a route never imports another
 * route, and db/ is a leaf. Read from the import
 * statements of the files themselves, resolved to repository paths.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/server';

function sources(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => path.relative(repoRoot, path.join(e.parentPath, e.name)));
}

/** The repository paths (no extension) a file imports, statically or dynamically. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(repoRoot, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);
  return specifiers
    .filter((s) => s.startsWith('.') || s.startsWith('~/'))
    .map((s) => (s.startsWith('~/') ? path.join('app', s.slice(2)) : path.join(path.dirname(file), s)));
}

function offending(files: string[], forbidden: (target: string, file: string) => boolean): string[] {
  return files.flatMap((file) => importsOf(file).filter((target) => forbidden(target, file)).map((target) => `${file} → ${target}`));
}

describe('import arrows', () => {
  it('models import neither components nor routes (shared constants live in a neutral module)', () => {
    expect(offending(sources('app/models'), (t) => t.startsWith('app/components/') || t.startsWith('app/routes/'))).toEqual([]);
  });

  // Commands that act on accounts and cards call the models, as routes do (models take { db, now });
  // nothing else of app/ (routes, components, the content loader) is the CLI's business.
  it('the CLI imports of app/ only its models and the environment schema (bank files are read by engine/bank/files.ts)', () => {
    const allowed = (t: string) => /^app\/models\/[\w.-]+\.server(\.ts)?$/.test(t) || /^app\/env\.server(\.ts)?$/.test(t);
    expect(offending(sources('bin'), (t) => (t.startsWith('app/') || t === 'app') && !allowed(t))).toEqual([]);
  });

  it('a route never imports another route', () => {
    expect(offending(sources('app/routes'), (t) => t.startsWith('app/routes/'))).toEqual([]);
  });

  it('db/ is a leaf: it imports nothing of app/, engine/ or bin/ (its settings come as arguments)', () => {
    expect(offending(sources('db'), (t) => /^(app|engine|bin)(\/|$)/.test(t))).toEqual([]);
  });

  it('server modules outside components do not import component folders', () => {
    const server = sources('app').filter((f) => /\.server\.tsx?$/.test(f) && !f.startsWith('app/components/'));
    expect(offending(server, (t) => t.startsWith('app/components/'))).toEqual([]);
  });
});
