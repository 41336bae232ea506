/**
 * A network diagram drawn as SVG from a finished layout (layout.ts). No elkjs here: the page gets
 * the layout from its loader (or the workbench from a dynamic import), so this file stays small.
 *
 * Boxes carry `data-layer` (the layer path, as the table's rows do) and `data-active` when they are
 * the highlighted layer; hovering or focusing a box reports its path through `onActive`.
 */
import { memo, useMemo, type KeyboardEvent } from 'react';
import type { DiagramLayout, PlacedEdge, PlacedGroup, PlacedNode } from './layout';
import { DIAGRAM_FONT, GROUP_HEADER } from './metrics';

const TEXT = {
  expand: (id: string) => `Expand ${id}`,
  collapse: (id: string) => `Collapse ${id}`,
  region: (summary: string) => summary,
};

export interface NetworkDiagramProps {
  layout: DiagramLayout;
  /** The highlighted layer path (a box, or a row of the table), or null. */
  active: string | null;
  onActive: (path: string | null) => void;
  onToggle: (blockId: string) => void;
  collapsed: ReadonlySet<string>;
  /** Unique within the page, for the SVG's title and description ids. */
  idPrefix?: string;
}

/** The box that shows `path`: the path's own box, else the collapsed block holding it. */
export function visibleBoxOf(ids: ReadonlySet<string>, path: string | null): string | null {
  if (path === null) return null;
  if (ids.has(path)) return path;
  for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1)) {
    const prefix = path.slice(0, cut);
    if (ids.has(prefix)) return prefix;
  }
  return null;
}

function onActivateKey(event: KeyboardEvent, action: () => void) {
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    action();
  }
}

export function NetworkDiagram({ layout, active, onActive, onToggle, collapsed, idPrefix = 'diagram' }: NetworkDiagramProps) {
  const ids = useMemo(() => new Set([...layout.nodes.map((n) => n.id), ...layout.groups.map((g) => g.id)]), [layout]);
  const shown = visibleBoxOf(ids, active);
  const titleId = `${idPrefix}-title`;
  const descId = `${idPrefix}-desc`;
  return (
    <div className="diagram-scroll" role="region" aria-labelledby={titleId} tabIndex={0} data-diagram>
      <svg
        className="network-diagram"
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        width={layout.width}
        height={layout.height}
        role="group"
        aria-labelledby={titleId}
        aria-describedby={descId}
        fontSize={DIAGRAM_FONT.size}
      >
        <title id={titleId}>{TEXT.region(layout.summary)}</title>
        <desc id={descId}>{layout.outline}</desc>
        <defs>
          <marker id={`${idPrefix}-arrow`} viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L8,4 L0,8 z" className="arrow-head" />
          </marker>
        </defs>
        {layout.groups.map((g) => (
          <GroupFrame key={g.id} group={g} active={shown === g.id} onActive={onActive} onToggle={onToggle} />
        ))}
        <g className="edges">
          {layout.edges.map((e, i) => (
            <Edge key={i} edge={e} marker={`url(#${idPrefix}-arrow)`} />
          ))}
        </g>
        {layout.nodes.map((n) => (
          <NodeBox key={n.id} node={n} active={shown === n.id} expanded={!collapsed.has(n.id)} onActive={onActive} onToggle={onToggle} />
        ))}
      </svg>
    </div>
  );
}

const Edge = memo(function Edge({ edge, marker }: { edge: PlacedEdge; marker: string }) {
  if (edge.points.length < 2) return null;
  const d = edge.points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x},${y}`).join(' ');
  return <path d={d} className={`edge ${edge.kind}`} data-edge={edge.kind} data-from={edge.from} data-to={edge.to} markerEnd={marker} />;
});

const ToggleButton = memo(function ToggleButton({ id, expanded, x, y, onToggle }: { id: string; expanded: boolean; x: number; y: number; onToggle: (id: string) => void }) {
  const size = 18;
  return (
    <g
      className="diagram-toggle"
      role="button"
      tabIndex={0}
      aria-expanded={expanded}
      aria-label={expanded ? TEXT.collapse(id) : TEXT.expand(id)}
      data-toggle={id}
      onClick={(event) => {
        event.stopPropagation();
        onToggle(id);
      }}
      onKeyDown={(event) => onActivateKey(event, () => onToggle(id))}
      transform={`translate(${x},${y})`}
    >
      <rect width={size} height={size} rx={3} />
      <text x={size / 2} y={size / 2 + 4} textAnchor="middle" aria-hidden="true">
        {expanded ? '−' : '+'}
      </text>
    </g>
  );
});

const GroupFrame = memo(function GroupFrame({
  group,
  active,
  onActive,
  onToggle,
}: {
  group: PlacedGroup;
  active: boolean;
  onActive: (path: string | null) => void;
  onToggle: (id: string) => void;
}) {
  return (
    <g className="diagram-group" data-block={group.id} data-active={active ? 'true' : undefined}>
      <rect x={group.x} y={group.y} width={group.width} height={group.height} rx={6} className="frame" />
      <text
        x={group.x + 30}
        y={group.y + GROUP_HEADER / 2 + 6}
        className="group-label"
        onMouseEnter={() => onActive(group.id)}
        onMouseLeave={() => onActive(null)}
      >
        {group.label}
      </text>
      <ToggleButton id={group.id} expanded x={group.x + 6} y={group.y + 6} onToggle={onToggle} />
    </g>
  );
});

const NodeBox = memo(function NodeBox({
  node,
  active,
  expanded,
  onActive,
  onToggle,
}: {
  node: PlacedNode;
  active: boolean;
  expanded: boolean;
  onActive: (path: string | null) => void;
  onToggle: (id: string) => void;
}) {
  const { padX, padY, lineHeight } = DIAGRAM_FONT;
  return (
    <g className={`diagram-node ${node.kind}`} data-layer={node.id} data-kind={node.kind} data-active={active ? 'true' : undefined}>
      <g
        tabIndex={0}
        role="img"
        aria-label={node.lines.join(', ')}
        onMouseEnter={() => onActive(node.id)}
        onMouseLeave={() => onActive(null)}
        onFocus={() => onActive(node.id)}
        onBlur={() => onActive(null)}
      >
        <rect x={node.x} y={node.y} width={node.width} height={node.height} rx={node.kind === 'layer' || node.kind === 'block' ? 4 : 10} className="box" />
        <text aria-hidden="true">
          {node.lines.map((line, i) => (
            <tspan key={i} x={node.x + padX} y={node.y + padY + (i + 1) * lineHeight - 3} className={i === 0 ? 'name' : undefined}>
              {line}
            </tspan>
          ))}
        </text>
      </g>
      {node.collapsible && <ToggleButton id={node.id} expanded={expanded} x={node.x + node.width - 22} y={node.y + 4} onToggle={onToggle} />}
    </g>
  );
});
