/** Network in Network on CIFAR-10 (Lin, Chen & Yan 2014). */
import type { Layer } from '../spec';
import type { ZooEntry } from './entry';
import { avgpool, block, conv, dropout, maxpool, relu } from './layers';

/** An "mlpconv" layer: a k×k conv followed by two 1×1 convs (the micro-network), each with ReLU. */
function mlpconv(n: number, widths: readonly [number, number, number], kernel: number, padding: number): Layer {
  const [a, b, c] = widths;
  return block(`mlpconv${n}`, 'mlpconv', [
    conv(`conv${n}`, a, kernel, { padding }),
    relu(`relu${n}`),
    conv(`cccp${2 * n - 1}`, b, 1),
    relu(`relu_cccp${2 * n - 1}`),
    conv(`cccp${2 * n}`, c, 1),
    relu(`relu_cccp${2 * n}`),
  ]);
}

export const ninCifar10: ZooEntry = {
  id: 'nin_cifar10',
  name: 'Network in Network (CIFAR-10)',
  year: 2014,
  source: "Lin, Chen & Yan, 'Network In Network' (ICLR 2014), the authors' CIFAR-10 Caffe model (Caffe Model Zoo 'NIN-CIFAR10'): 3 mlpconv layers, global average pooling, no FC",
  convention: '32×32×3 input; biases; no batch norm; 3×3 stride-2 pools in ceil mode (Caffe), dropout 0.5 after the first two; the last 1×1 conv has 10 maps, averaged globally into the class scores',
  spec: {
    name: 'nin_cifar10',
    input: [32, 32, 3],
    layers: [
      mlpconv(1, [192, 160, 96], 5, 2),
      maxpool('pool1', 3, 2, { ceilMode: true }),
      dropout('drop1', 0.5),
      mlpconv(2, [192, 192, 192], 5, 2),
      avgpool('pool2', 3, 2, { ceilMode: true }),
      dropout('drop2', 0.5),
      mlpconv(3, [192, 192, 10], 3, 1),
      { kind: 'globalavgpool', name: 'pool3' },
      { kind: 'flatten', name: 'flatten' },
    ],
  },
};
