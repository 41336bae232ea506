/**
 * The workbench's diagram: helper A's graph and SVG (app/components/diagram), laid out in the
 * browser by elkjs loaded on demand, redrawn (debounced) as the last valid network changes.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Analysis } from '../../../engine/analysis-types';
import type { Spec } from '../../../engine/spec';
import { networkGraph, topLevelBlocks } from '../diagram/graph';
import type { DiagramLayout } from '../diagram/layout';
import { NetworkDiagram } from '../diagram/network-diagram';

const LAYOUT_DEBOUNCE_MS = 250;
/** Networks with more rows start with their top-level blocks collapsed. */
const EXPANDED_UP_TO = 60;

export function WorkbenchDiagram({ spec, analysis, stale }: { spec: Spec; analysis: Analysis; stale: boolean }) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set(analysis.layers.length > EXPANDED_UP_TO ? topLevelBlocks(spec, analysis) : []));
  const [active, setActive] = useState<string | null>(null);
  const graph = useMemo(() => {
    try {
      return networkGraph(spec, analysis, { collapsed });
    } catch {
      return null;
    }
  }, [spec, analysis, collapsed]);
  const [layout, setLayout] = useState<{ layout: DiagramLayout; for: unknown } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    if (!graph) return;
    let cancelled = false;
    const t = setTimeout(async () => {
      try {
        const { layoutDiagram } = await import('../diagram/layout');
        const laid = await layoutDiagram(graph);
        if (!cancelled) {
          setLayout({ layout: laid, for: graph });
          setFailed(null);
        }
      } catch (err) {
        if (!cancelled) setFailed(err instanceof Error ? err.message : String(err));
      }
    }, LAYOUT_DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [graph]);
  const pending = layout?.for !== graph;
  return (
    <div className={stale ? 'wb-diagram stale' : 'wb-diagram'} data-testid="workbench-diagram" data-stale={stale ? 'true' : 'false'} data-pending={pending ? 'true' : 'false'} data-nodes={layout?.layout.nodes.length}>
      {failed && <p className="bad">The diagram could not be laid out: {failed}</p>}
      {layout && (
        <NetworkDiagram
          layout={layout.layout}
          active={active}
          onActive={setActive}
          collapsed={collapsed}
          idPrefix="wb-diagram"
          onToggle={(id) =>
            setCollapsed((prev) => {
              const next = new Set(prev);
              if (!next.delete(id)) next.add(id);
              return next;
            })
          }
        />
      )}
    </div>
  );
}
