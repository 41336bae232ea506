import type { LinksFunction, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { countText, gmacsText } from '~/components/explorer/format';
import { zooListing } from '~/explorer.server';
import explorerStyles from '~/styles/explorer.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: explorerStyles }];

export const meta: MetaFunction = () => [{ title: 'Architecture explorer — Stride' }];

export async function loader() {
  return { networks: zooListing() };
}

export default function ExploreIndex() {
  const { networks } = useLoaderData<typeof loader>();
  return (
    <section className="explorer" aria-labelledby="explore-title">
      <h1 id="explore-title">Architecture explorer</h1>
      <p>
        Every network of the chapter, analysed layer by layer: output shapes, parameters, multiply-accumulates and receptive
        fields. Open one to see its table, and check it against a real TensorFlow.js model in this browser.
      </p>
      <div className="table-scroll" role="region" aria-labelledby="zoo-caption" tabIndex={0}>
        <table className="zoo-table">
          <caption id="zoo-caption">
            The zoo: {networks.length} networks (params count weights, biases and batch-norm γ, β: torchvision's rule)
          </caption>
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Network</th>
              <th scope="col">Year</th>
              <th scope="col" className="num">
                Params
              </th>
              <th scope="col" className="num">
                GMACs
              </th>
            </tr>
          </thead>
          <tbody>
            {networks.map((n) => (
              <tr key={n.id} data-arch={n.id}>
                <td>
                  <Link to={`/explore/${n.id}`}>
                    <code>{n.id}</code>
                  </Link>
                </td>
                <td>{n.name}</td>
                <td>{n.year}</td>
                <td className="num">{countText(n.params)}</td>
                <td className="num">{gmacsText(n.macs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
