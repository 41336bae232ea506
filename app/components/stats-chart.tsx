/**
 * A chart of the statistics pages as the page shows it: its title, the server-drawn SVG inside
 * an element that says what it shows (role img, the chart's label), and its numbers again as a
 * table in a <details>, so every figure is readable as text. With nothing to draw it says so.
 */
import type { ReactNode } from 'react';
import type { RenderedChart } from '~/charts/plot.server';

export function StatsChart({ chart, title, empty, table, testId, small = false }: { chart: RenderedChart | null; title: string; empty: string; table?: ReactNode; testId: string; small?: boolean }) {
  if (!chart)
    return (
      <p className="stats-empty" data-testid={`${testId}-empty`}>
        {empty}
      </p>
    );
  return (
    <figure className={small ? 'stats-figure small' : 'stats-figure'} data-testid={testId}>
      <figcaption>{title}</figcaption>
      {/* The SVG comes from our own renderer (app/charts/plot.server.ts): numbers and escaped text only. */}
      <div className="chart-box" role="img" aria-label={chart.label} dangerouslySetInnerHTML={{ __html: chart.svg }} />
      {table ? (
        <details className="chart-table">
          <summary>{title}: the numbers</summary>
          <TableScroll label={`${title}: the numbers`}>{table}</TableScroll>
        </details>
      ) : null}
    </figure>
  );
}

/** A plain table of a chart's numbers: a header row, then one row per point (first cell a row header). */
export function DataTable({ caption, columns, rows, testId }: { caption: string; columns: readonly string[]; rows: readonly (readonly (string | number)[])[]; testId?: string }) {
  return (
    <table className="stats-table" data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((c, i) => (
            <th key={c} scope="col" className={i > 0 ? 'num' : undefined}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {r.map((cell, j) =>
              j === 0 ? (
                <th key={j} scope="row">
                  {cell}
                </th>
              ) : (
                <td key={j} className="num">
                  {cell}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * A box a wide table scrolls in, so the page never scrolls sideways on a phone. It takes the
 * focus (and has a name), so a keyboard can scroll it too.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
