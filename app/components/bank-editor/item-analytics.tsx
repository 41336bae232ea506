import type { ItemStats } from '~/models/analytics.server';

export function percent(x: number | null): string {
  return x === null ? '—' : `${Math.round(x * 100)}%`;
}

export function seconds(ms: number | null): string {
  return ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`;
}

function ItemRow({ item }: { item: ItemStats }) {
  return (
    <tr data-item={item.itemId} className={item.tooHard ? 'too-hard' : undefined}>
      <td>
        <code>{item.itemId}</code>
        {item.tooHard ? <span className="status status-flagged">too hard</span> : null}
      </td>
      <td>{item.kind}</td>
      <td className="num" data-testid="attempts">
        {item.attempts}
      </td>
      <td className="num" data-testid="accuracy">
        {percent(item.accuracy)}
      </td>
      <td className="num">{seconds(item.medianMs)}</td>
      <td className="num">{item.lapses}</td>
      <td>{item.misconceptions.map((m) => `${m.id} (${m.count})`).join(', ') || '—'}</td>
    </tr>
  );
}

/** Links to the analytics by region of each bank with generated items among `items` (for one class with `classId`). */
export function RegionAnalyticsLinks({ items, classId }: { items: readonly ItemStats[]; classId?: number | undefined }) {
  const bankIds = [...new Set(items.filter((i) => i.family !== null).map((i) => i.bankId))];
  if (bankIds.length === 0) return null;
  return (
    <p className="region-analytics-links">
      Which parameter values are hard:{' '}
      {bankIds.map((b, i) => (
        <span key={b}>
          {i > 0 ? ', ' : null}
          <a href={`/banks/${encodeURIComponent(b)}/analytics${classId === undefined ? '' : `?class=${classId}`}`}>analytics by region of {b}</a>
        </span>
      ))}
    </p>
  );
}

/** Per item: attempts, accuracy, median time, lapses, commonest misconceptions; too-hard rows marked. A link to the analytics by region follows. */
export function ItemAnalyticsTable({ items, classId }: { items: readonly ItemStats[]; classId?: number | undefined }) {
  return (
    <>
      <table className="analytics" data-testid="item-analytics">
        <thead>
          <tr>
            <th>Item</th>
            <th>Kind</th>
            <th className="num">Attempts</th>
            <th className="num">Accuracy</th>
            <th className="num">Median time</th>
            <th className="num">Lapses</th>
            <th>Commonest misconceptions</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <ItemRow key={i.itemId} item={i} />
          ))}
        </tbody>
      </table>
      <RegionAnalyticsLinks items={items} classId={classId} />
    </>
  );
}
