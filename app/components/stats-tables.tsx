/**
 * The tables of the statistics pages: Anki's true retention (first review of each card in a
 * day, young and mature), and retention per question family with its commonest misconception
 * and its calibration in one pair (predicted against recalled).
 */
import type { FamilyStats, PassFail, StudentStats } from '~/stats/types';
import { count, duration, share } from '../charts/format';

export const retentionSpanNames: Record<StudentStats['trueRetention'][number]['span'], string> = {
  today: 'Today',
  yesterday: 'Yesterday',
  week: 'Last week',
  month: 'Last month',
  year: 'Last year',
  all: 'All time',
};

const GROUPS = [
  ['young', 'Young'],
  ['mature', 'Mature'],
  ['total', 'Total'],
] as const;

function PassFailCells({ value, group }: { value: PassFail; group: string }) {
  return (
    <>
      <td className="num" data-cell={`${group}-passed`}>
        {count(value.passed)}
      </td>
      <td className="num" data-cell={`${group}-failed`}>
        {count(value.failed)}
      </td>
      <td className="num group-end" data-cell={`${group}-retention`}>
        {share(value.rate)}
      </td>
    </>
  );
}

/** Rows: the spans; column groups: young, mature, total; in each, passed, failed, retention. */
export function TrueRetentionTable({ rows }: { rows: StudentStats['trueRetention'] }) {
  return (
    <table className="stats-table retention-table" data-testid="true-retention">
      <caption>True retention by span: young cards (interval under 21 days), mature cards, all.</caption>
      <thead>
        <tr>
          <td />
          {GROUPS.map(([key, name]) => (
            <th key={key} scope="colgroup" colSpan={3} className="group-end">
              {name}
            </th>
          ))}
        </tr>
        <tr>
          <th scope="col">Span</th>
          {GROUPS.map(([key, name]) => (
            <PassFailHeads key={key} group={name} />
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.span} data-span={r.span}>
            <th scope="row">{retentionSpanNames[r.span]}</th>
            {GROUPS.map(([key]) => (
              <PassFailCells key={key} value={r[key]} group={key} />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PassFailHeads({ group }: { group: string }) {
  return (
    <>
      <th scope="col" className="num">
        <span className="visually-hidden">{group} </span>Passed
      </th>
      <th scope="col" className="num">
        <span className="visually-hidden">{group} </span>Failed
      </th>
      <th scope="col" className="num group-end">
        <span className="visually-hidden">{group} </span>Retention
      </th>
    </>
  );
}

/** One row per question family: retention, median time, commonest misconception, predicted against recalled. */
export function FamiliesTable({ families, titleOf, caption, testId = 'families' }: { families: readonly FamilyStats[]; titleOf: Record<string, string>; caption: string; testId?: string }) {
  return (
    <table className="stats-table" data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Family</th>
          <th scope="col" className="num">
            Reviews
          </th>
          <th scope="col" className="num">
            Retention
          </th>
          <th scope="col" className="num">
            Median time
          </th>
          <th scope="col">Commonest misconception</th>
          <th scope="col" className="num">
            Predicted
          </th>
          <th scope="col" className="num">
            Recalled
          </th>
        </tr>
      </thead>
      <tbody>
        {families.map((f) => (
          <tr key={f.family} data-family={f.family}>
            <th scope="row">{titleOf[f.family] ?? f.family}</th>
            <td className="num">{count(f.reviews)}</td>
            <td className="num" data-cell="retention">
              {share(f.retention.rate)} <span className="muted">({count(f.retention.passed)} of {count(f.retention.passed + f.retention.failed)})</span>
            </td>
            <td className="num">{duration(f.medianMs)}</td>
            <td>{f.misconception ? `${f.misconception.id} (${count(f.misconception.count)})` : '—'}</td>
            <td className="num">{share(f.predicted)}</td>
            <td className="num">{share(f.actual)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
