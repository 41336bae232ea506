import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useCallback, useState } from 'react';
import type { RowVerdict } from '~/components/explorer/browser-verify';
import { countText, gmacsText, shapeText } from '~/components/explorer/format';
import { LayerTable } from '~/components/explorer/layer-table';
import { VerifyPanel } from '~/components/explorer/verify-panel';
import { architectureView } from '~/explorer.server';
import explorerStyles from '~/styles/explorer.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: explorerStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.view.name} — Stride explorer` : 'Not found — Stride' }];

export async function loader({ params }: LoaderFunctionArgs) {
  const view = architectureView(params.arch);
  if (!view) throw new Response(`No network called '${String(params.arch).slice(0, 64)}' in the zoo.`, { status: 404, statusText: 'Not Found' });
  return { view };
}

export default function ExploreArch() {
  const { view } = useLoaderData<typeof loader>();
  const [verdicts, setVerdicts] = useState<(RowVerdict | undefined)[]>([]);
  const onStart = useCallback(() => setVerdicts([]), []);
  const onRow = useCallback(
    (index: number, verdict: RowVerdict) =>
      setVerdicts((prev) => {
        const next = prev.slice();
        next[index] = verdict;
        return next;
      }),
    [],
  );
  const torchvision = view.totals[0]!;
  return (
    <section className="explorer" aria-labelledby="arch-title">
      <p className="breadcrumb">
        <Link to="/explore">Explorer</Link> / <code>{view.id}</code>
      </p>
      <h1 id="arch-title">
        {view.name} <span className="year">({view.year})</span>
      </h1>
      <dl className="arch-facts">
        <dt>Source</dt>
        <dd>{view.source}</dd>
        <dt>Convention</dt>
        <dd>{view.convention}</dd>
        <dt>Input → output</dt>
        <dd>
          {shapeText(view.input)} → {shapeText(view.output)}
        </dd>
        {view.published && (
          <>
            <dt>Published</dt>
            <dd>
              {view.published.params !== null && <>{countText(view.published.params)} params</>}
              {view.published.params !== null && view.published.macs !== null && ', '}
              {view.published.macs !== null && <>{gmacsText(view.published.macs)} GMACs</>} — {view.published.source}
            </dd>
          </>
        )}
        {view.notes && (
          <>
            <dt>Notes</dt>
            <dd>{view.notes}</dd>
          </>
        )}
      </dl>

      <div className="table-scroll" role="region" aria-labelledby="totals-caption" tabIndex={0}>
        <table className="totals-table">
          <caption id="totals-caption">
            Totals under each counting convention (MACs and memory do not depend on it); a convention carries a library's name only where it
            reproduces that library's published count for this network
          </caption>
          <thead>
            <tr>
              <th scope="col">Convention</th>
              <th scope="col" className="num">
                Params
              </th>
              <th scope="col" className="num">
                MACs
              </th>
              <th scope="col" className="num">
                FLOPs (2 × MACs)
              </th>
              <th scope="col" className="num">
                Activations (every layer's outputs)
              </th>
              <th scope="col" className="num">
                Memory (the lecture's count: input + conv, pool, FC outputs)
              </th>
            </tr>
          </thead>
          <tbody>
            {view.totals.map((t) => (
              <tr key={t.key} data-convention={t.key} data-published-by={t.publishedBy ?? ''}>
                <th scope="row">{t.label}</th>
                <td className="num">{countText(t.params)}</td>
                <td className="num">{countText(t.macs)}</td>
                <td className="num">{countText(t.flops)}</td>
                <td className="num">{countText(t.activations)}</td>
                <td className="num">{countText(t.memory)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="convention-text">
        <small>How the table counts: {torchvision.text}</small>
      </p>

      <VerifyPanel arch={view.id} onStart={onStart} onRow={onRow} />

      <h2 id="layers-title">Layers</h2>
      <LayerTable
        rows={view.rows}
        verdicts={verdicts}
        caption={`${view.rows.length} rows of ${view.id}; params count weights, biases and batch-norm γ, β (torchvision's rule); receptive field along the height, in input pixels`}
      />
    </section>
  );
}
