/** The explorer's diagrams, laid out on the server (decision 0028): no elkjs reaches the explorer's browser code. */
import { architectureAnalysis } from '~/explorer.server';
import { networkGraph, topLevelBlocks } from './graph';
import { layoutDiagram, type DiagramLayout } from './layout';

/** Networks with more rows than this start with their top-level blocks collapsed (the table does the same). */
export const DIAGRAM_EXPANDED_UP_TO = 60;
/** Layouts kept per process (arch × collapse state); the oldest goes first. */
const LAYOUT_CACHE_SIZE = 64;
const layouts = new Map<string, Promise<DiagramLayout>>();

export interface ArchitectureDiagram {
  layout: DiagramLayout;
  /** The blocks drawn collapsed, in spec order. */
  collapsed: string[];
}

/**
 * The diagram of a zoo network laid out on the server (decision 0028): `collapsed` lists the blocks
 * drawn as one box (unknown names are ignored); null means the default (a large network's top-level
 * blocks collapsed). Cached per network and collapse state.
 */
export async function architectureDiagram(raw: unknown, collapsed: readonly string[] | null): Promise<ArchitectureDiagram | null> {
  const found = architectureAnalysis(raw);
  if (!found) return null;
  const { view, entry, analysis } = found;
  const blocks = networkGraph(entry.spec, analysis, { collapsed: new Set(topLevelBlocks(entry.spec, analysis)) }).collapsible;
  const wanted = collapsed === null ? new Set(view.rows.length > DIAGRAM_EXPANDED_UP_TO ? topLevelBlocks(entry.spec, analysis) : []) : new Set(collapsed);
  const chosen = blocks.filter((b) => wanted.has(b));
  const key = `${view.id}\n${chosen.join(',')}`;
  let layout = layouts.get(key);
  if (layout) {
    // Most recently used last.
    layouts.delete(key);
  } else {
    layout = layoutDiagram(networkGraph(entry.spec, analysis, { collapsed: new Set(chosen) }));
    layout.catch(() => layouts.delete(key));
  }
  layouts.set(key, layout);
  while (layouts.size > LAYOUT_CACHE_SIZE) layouts.delete(layouts.keys().next().value!);
  return { layout: await layout, collapsed: chosen };
}
