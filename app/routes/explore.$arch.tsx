import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { useCallback, useMemo, useState } from 'react';
import { NetworkDiagram } from '~/components/diagram/network-diagram';
import type { RowVerdict } from '~/components/explorer/browser-verify';
import { countText, fieldText, gmacsText, shapeText } from '~/components/explorer/format';
import { LayerTable } from '~/components/explorer/layer-table';
import { VerifyPanel } from '~/components/explorer/verify-panel';
import { architectureDiagram } from '~/components/diagram/explorer-diagram.server';
import { architectureView } from '~/explorer.server';
import explorerStyles from '~/styles/explorer.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: explorerStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.view.name} — Stride explorer` : 'Not found — Stride' }];

/** The search parameter listing the diagram's collapsed blocks (comma-separated paths; absent = the default). */
const COLLAPSED_PARAM = 'collapsed';

export async function loader({ params, request }: LoaderFunctionArgs) {
  const view = architectureView(params.arch);
  if (!view) throw new Response(`No network called '${String(params.arch).slice(0, 64)}' in the zoo.`, { status: 404, statusText: 'Not Found' });
  const raw = new URL(request.url).searchParams.get(COLLAPSED_PARAM);
  const collapsed = raw === null ? null : raw.split(',').filter(Boolean).slice(0, 1000);
  const diagram = (await architectureDiagram(view.id, collapsed))!;
  return { view, diagram };
}

const TEXT = {
  diagramTitle: 'Diagram',
  diagramHelp:
    'Each box is a layer with its output shape, params and receptive field (RF, in input pixels). Dashed lines are identity skips, orange ones projection shortcuts, blue ones concatenations. The + and − buttons expand and collapse a block; hover or focus a box to see its row.',
  readoutIdle: 'Hover or focus a box or a row to see its numbers here.',
  readout: (path: string, type: string, output: string, params: number, macs: number, rf: string) =>
    `${path} (${type}): output ${output}, ${countText(params)} params, ${countText(macs)} MACs, receptive field ${rf}`,
  updating: 'Redrawing…',
};

export default function ExploreArch() {
  const { view, diagram } = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const [active, setActive] = useState<string | null>(null);
  const collapsed = useMemo(() => new Set(diagram.collapsed), [diagram.collapsed]);
  const onToggle = useCallback(
    (block: string) => {
      const next = new Set(collapsed);
      if (!next.delete(block)) next.add(block);
      const params = new URLSearchParams(searchParams);
      params.set(COLLAPSED_PARAM, diagram.layout.collapsible.filter((b) => next.has(b)).join(','));
      setSearchParams(params, { replace: true, preventScrollReset: true });
    },
    [collapsed, searchParams, setSearchParams, diagram.layout.collapsible],
  );
  const activeRow = active === null ? undefined : view.rows.find((r) => r.path === active);
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

      <h2 id="diagram-title">{TEXT.diagramTitle}</h2>
      <p className="diagram-help">
        <small>{TEXT.diagramHelp}</small>
      </p>
      <figure className="diagram" aria-busy={navigation.state === 'loading' ? true : undefined}>
        <NetworkDiagram layout={diagram.layout} active={active} onActive={setActive} onToggle={onToggle} collapsed={collapsed} idPrefix="arch-diagram" />
        <figcaption className="diagram-readout" aria-live="polite">
          {navigation.state === 'loading' ? TEXT.updating + ' ' : ''}
          {activeRow
            ? TEXT.readout(activeRow.path, activeRow.type, shapeText(activeRow.output), activeRow.params, activeRow.macs, fieldText(activeRow.rf, activeRow.rfW, 'size'))
            : TEXT.readoutIdle}
        </figcaption>
      </figure>

      <VerifyPanel arch={view.id} onStart={onStart} onRow={onRow} />

      <h2 id="layers-title">Layers</h2>
      <LayerTable
        rows={view.rows}
        verdicts={verdicts}
        active={active}
        onActive={setActive}
        caption={`${view.rows.length} rows of ${view.id}; params count weights, biases and batch-norm γ, β (torchvision's rule); receptive field along the height, in input pixels`}
      />
    </section>
  );
}
