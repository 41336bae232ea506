/** Short constructors for the layers the zoo's specs are written in (plain data out). */
import type { BatchNormLayer, ConcatLayer, ConvLayer, DenseLayer, DropoutLayer, Layer, Padding, Pair, PoolLayer, ReluLayer, ResidualLayer } from '../spec';

interface ConvOptions {
  stride?: Pair;
  padding?: Padding;
  dilation?: Pair;
  groups?: number;
  bias?: boolean;
}

export function conv(name: string, filters: number, kernel: Pair, options: ConvOptions = {}): ConvLayer {
  return { kind: 'conv', name, filters, kernel, ...options };
}

export function maxpool(name: string, kernel: Pair, stride?: Pair, options: { padding?: Padding; ceilMode?: boolean } = {}): PoolLayer {
  return { kind: 'maxpool', name, kernel, ...(stride === undefined ? {} : { stride }), ...options };
}

export function avgpool(name: string, kernel: Pair, stride?: Pair, options: { padding?: Padding; ceilMode?: boolean } = {}): PoolLayer {
  return { kind: 'avgpool', name, kernel, ...(stride === undefined ? {} : { stride }), ...options };
}

export function relu(name: string): ReluLayer {
  return { kind: 'relu', name };
}

export function bn(name: string, epsilon?: number): BatchNormLayer {
  return epsilon === undefined ? { kind: 'batchnorm', name } : { kind: 'batchnorm', name, epsilon };
}

export function dense(name: string, units: number): DenseLayer {
  return { kind: 'dense', name, units };
}

export function dropout(name: string, rate: number): DropoutLayer {
  return { kind: 'dropout', name, rate };
}

export function concat(name: string, branches: Layer[][]): ConcatLayer {
  return { kind: 'concat', name, branches };
}

export function residual(name: string, body: Layer[], shortcut?: Layer[]): ResidualLayer {
  return shortcut ? { kind: 'residual', name, body, shortcut } : { kind: 'residual', name, body };
}

export function block(name: string, kind: string, layers: Layer[]): Layer {
  return { kind: 'block', name, block: kind, layers };
}
