import type { MetaFunction } from '@remix-run/node';

export const meta: MetaFunction = () => [{ title: 'Stride — dashboard' }];

export default function Dashboard() {
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Stride</h1>
      <p>
        Spaced repetition for convolutional-network architectures: output sizes, parameter counts, receptive fields and
        inception costs, with every generated answer checked against a real TensorFlow.js model.
      </p>
    </section>
  );
}
