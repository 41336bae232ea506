import type { VerifiedItem } from '~/models/verification.server';
import { countOf } from '../../../engine/answers/format';

const TEXT = {
  title: 'Verified on N',
  intro: 'Distinct variants (seeds) of each generated question checked by the engine (its analysis gives the answer) and by tfjs (a model built from the spec agrees), from previews, `stride bank check --record` and students’ engine panels.',
  none: 'No disagreement seen.',
  source: { preview: 'preview', 'bank-check': 'bank check', review: 'a student’s review' } as Record<string, string>,
  which: (d: { engineOk: boolean; tfjsOk: boolean | null }) => (!d.engineOk ? 'the engine disagrees with the answer' : 'tfjs disagrees with the engine'),
} as const;

/** Per generated item of the page: variants checked by the engine and by tfjs, and every disagreement with its seed. */
export function VerifiedOn({ items }: { items: readonly VerifiedItem[] }) {
  if (items.length === 0) return null;
  return (
    <section className="verified-on" aria-labelledby="verified-on-title" data-testid="verified-on">
      <h4 id="verified-on-title">{TEXT.title}</h4>
      <p>{TEXT.intro}</p>
      <table className="analytics">
        <thead>
          <tr>
            <th>Item</th>
            <th className="num">Engine checked</th>
            <th className="num">tfjs checked</th>
            <th>Disagreements</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.itemId} data-item={i.itemId}>
              <td>
                <code>{i.key}</code>
              </td>
              <td className="num" data-testid="engine-checked">
                {countOf(i.engineChecked, 'variant')}
              </td>
              <td className="num" data-testid="tfjs-checked">
                {countOf(i.tfjsChecked, 'variant')}
              </td>
              <td data-testid="disagreements">
                {i.disagreementCount === 0 ? (
                  TEXT.none
                ) : (
                  <>
                    <span className="status status-flagged">{countOf(i.disagreementCount, 'disagreement')}</span>
                    <ul>
                      {i.disagreements.map((d, n) => (
                        <li key={n} data-seed={d.seed}>
                          seed <code>{d.seed}</code> ({TEXT.source[d.source] ?? d.source}, {d.at.slice(0, 10)}): {TEXT.which(d)}
                          {d.detail ? ` — ${d.detail}` : ''}
                        </li>
                      ))}
                    </ul>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
