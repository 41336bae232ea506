/**
 * A page's first-load JavaScript, from the browser build's esbuild metafile (build/metafile.js.json,
 * written by `remix build`): the client entry, the root route and the page's route module with
 * every chunk they import statically (what Remix modulepreloads), gzipped one by one as served.
 * Dynamic imports (tfjs, the engine panel's body) load later and are not counted.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from './server';

interface Metafile {
  outputs: Record<string, { entryPoint?: string; imports: { path: string; kind: string }[] }>;
}

export interface FirstLoad {
  /** Output files (relative to the repository) and their gzip sizes in bytes. */
  scripts: { file: string; gzipBytes: number }[];
  gzipBytes: number;
}

function readMetafile(): Metafile {
  const file = path.join(repoRoot, 'build/metafile.js.json');
  if (!existsSync(file)) throw new Error(`No browser build metafile at ${file}: run \`npm run build\` first.`);
  return JSON.parse(readFileSync(file, 'utf8')) as Metafile;
}

/** The first-load scripts of the page whose route file is app/routes/<route> (e.g. 'review.tsx'); only the entry and root with null. */
export function firstLoadJs(route: string | null): FirstLoad {
  const { outputs } = readMetafile();
  const entryOf = (suffix: string) => {
    const found = Object.keys(outputs).find((o) => outputs[o]!.entryPoint?.endsWith(suffix));
    if (!found) throw new Error(`the browser build has no entry ending in ${suffix}`);
    return found;
  };
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of outputs[file]!.imports) if (i.kind === 'import-statement') walk(i.path);
  };
  walk(entryOf('entry.client.tsx'));
  walk(entryOf('root.tsx?browser'));
  if (route) walk(entryOf(`routes/${route}?browser`));
  const scripts = [...seen]
    .filter((f) => f.endsWith('.js'))
    .map((file) => ({ file, gzipBytes: gzipSync(readFileSync(path.join(repoRoot, file))).length }));
  return { scripts, gzipBytes: scripts.reduce((n, s) => n + s.gzipBytes, 0) };
}
