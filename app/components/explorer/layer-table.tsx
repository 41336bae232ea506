/**
 * The per-layer table. Each top-level row is a group; a block's inner rows render only when the
 * group is open, so a network of hundreds of rows (densenet201: 714) starts as a short table.
 */
import { memo, useMemo, useState, type ReactNode } from 'react';
import type { ExplorerRow } from '~/explorer.server';
import type { RowVerdict } from './browser-verify';
import { countText, fieldText, shapeText } from './format';
import { countOf } from '../../../engine/answers/format';

/** Networks with at most this many rows start with every block open. */
const OPEN_ALL_UP_TO = 60;

interface Group {
  head: number;
  /** Indices of the rows inside the head's block (deeper rows up to the next top-level row). */
  inner: number[];
}

function groupRows(rows: readonly ExplorerRow[]): Group[] {
  const groups: Group[] = [];
  rows.forEach((row, i) => {
    const last = groups[groups.length - 1];
    if (row.depth === 0 || !last) groups.push({ head: i, inner: [] });
    else last.inner.push(i);
  });
  return groups;
}

/** pending until every row is checked; mismatch as soon as one disagrees. */
type Mark = 'pending' | 'ok' | 'mismatch';

function markOf(verdicts: readonly (RowVerdict | undefined)[], indices: readonly number[]): Mark {
  let pending = false;
  for (const i of indices) {
    const v = verdicts[i];
    if (!v) pending = true;
    else if (!v.ok) return 'mismatch';
  }
  return pending ? 'pending' : 'ok';
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The row that shows `active`: its own row when its group is open, else the group's head. */
function shownRow(active: string | null, head: ExplorerRow, isOpen: boolean, hasInner: boolean): 'head' | 'inner' | null {
  if (active === null) return null;
  if (active === head.path) return 'head';
  if (hasInner && active.startsWith(`${head.path}/`)) return isOpen ? 'inner' : 'head';
  return null;
}

export function LayerTable({
  rows,
  verdicts,
  caption,
  active = null,
  onActive,
}: {
  rows: readonly ExplorerRow[];
  verdicts: readonly (RowVerdict | undefined)[];
  caption: string;
  /** The highlighted layer path (shared with the diagram), or null. */
  active?: string | null;
  onActive?: (path: string | null) => void;
}) {
  const groups = useMemo(() => groupRows(rows), [rows]);
  const blocks = groups.filter((g) => g.inner.length > 0);
  const [open, setOpen] = useState<ReadonlySet<number>>(() => new Set(rows.length <= OPEN_ALL_UP_TO ? blocks.map((g) => g.head) : []));
  const allOpen = blocks.length > 0 && blocks.every((g) => open.has(g.head));
  const toggle = (head: number) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(head)) next.add(head);
      return next;
    });
  return (
    <>
      {blocks.length > 0 && (
        <p className="table-tools">
          <button type="button" className="secondary" onClick={() => setOpen(new Set(allOpen ? [] : blocks.map((g) => g.head)))}>
            {allOpen ? 'Collapse all blocks' : `Expand all ${countOf(blocks.length, 'block')}`}
          </button>
        </p>
      )}
      <div className="table-scroll" role="region" aria-labelledby="layers-caption" tabIndex={0}>
        <table className="layer-table">
          <caption id="layers-caption">{caption}</caption>
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>
                Layer
              </th>
              <th scope="col" rowSpan={2}>
                Type
              </th>
              <th scope="col" rowSpan={2}>
                Output H×W×C
              </th>
              <th scope="col" rowSpan={2} className="num">
                Params
              </th>
              <th scope="col" rowSpan={2} className="num">
                MACs
              </th>
              <th scope="colgroup" colSpan={3}>
                Receptive field
              </th>
              <th scope="col" rowSpan={2}>
                Browser check
              </th>
            </tr>
            <tr>
              <th scope="col" className="num">
                size
              </th>
              <th scope="col" className="num">
                jump
              </th>
              <th scope="col" className="num">
                start
              </th>
            </tr>
          </thead>
          {groups.map((g) => {
            const isOpen = open.has(g.head);
            const insideId = `inside-${g.head}`;
            const head = rows[g.head]!;
            const shown = shownRow(active, head, isOpen, g.inner.length > 0);
            return (
              <tbody key={g.head} id={g.inner.length > 0 ? insideId : undefined} className={g.inner.length > 0 ? 'group block' : 'group'}>
                <LayerRow
                  row={head}
                  mark={markOf(verdicts, isOpen ? [g.head] : [g.head, ...g.inner])}
                  verdict={verdicts[g.head]}
                  active={shown === 'head'}
                  onActive={onActive}
                  toggle={
                    g.inner.length > 0 ? (
                      <button
                        type="button"
                        className="toggle"
                        aria-expanded={isOpen}
                        aria-controls={insideId}
                        aria-label={`${isOpen ? 'Hide' : 'Show'} the ${countOf(g.inner.length, 'row')} inside ${head.path}`}
                        onClick={() => toggle(g.head)}
                      >
                        {isOpen ? '▾' : '▸'}
                      </button>
                    ) : null
                  }
                />
                {isOpen &&
                  g.inner.map((i) => (
                    <LayerRow key={i} row={rows[i]!} mark={markOf(verdicts, [i])} verdict={verdicts[i]} toggle={null} active={shown === 'inner' && active === rows[i]!.path} onActive={onActive} />
                  ))}
              </tbody>
            );
          })}
        </table>
      </div>
    </>
  );
}

const MARK_TEXT: Record<Mark, string> = { pending: '', ok: '✓ agrees', mismatch: '✗ differs' };

const LayerRow = memo(function LayerRow({
  row,
  mark,
  verdict,
  toggle,
  active,
  onActive,
}: {
  row: ExplorerRow;
  mark: Mark;
  verdict: RowVerdict | undefined;
  toggle: ReactNode;
  active: boolean;
  onActive: ((path: string | null) => void) | undefined;
}) {
  const enter = onActive ? () => onActive(row.path) : undefined;
  const leave = onActive ? () => onActive(null) : undefined;
  return (
    <tr
      data-path={row.path}
      data-layer={row.path}
      data-active={active ? 'true' : undefined}
      data-check={mark}
      className={row.aggregate ? 'aggregate' : undefined}
      onMouseEnter={enter}
      onMouseLeave={leave}
      onFocus={enter}
      onBlur={leave}
    >
      <th scope="row" title={row.path} style={{ paddingLeft: `${0.5 + row.depth * 1.1}rem` }} tabIndex={onActive ? 0 : undefined}>
        {toggle}
        {lastSegment(row.path)}
      </th>
      <td>{row.type}</td>
      <td className="shape">
        {shapeText(row.output)}
        {!row.exact && (
          <span className="inexact" title="The window does not tile the input exactly: the size was rounded and some pixels are never read">
            {' '}
            (rounded)
          </span>
        )}
      </td>
      <td className="num">{countText(row.params)}</td>
      <td className="num">{countText(row.macs)}</td>
      <td className="num">{fieldText(row.rf, row.rfW, 'size')}</td>
      <td className="num">{fieldText(row.rf, row.rfW, 'jump')}</td>
      <td className="num">{fieldText(row.rf, row.rfW, 'start')}</td>
      <td className={`check ${mark}`} title={verdict && !verdict.ok ? verdict.mismatches.join('\n') : undefined}>
        {MARK_TEXT[mark]}
      </td>
    </tr>
  );
});
