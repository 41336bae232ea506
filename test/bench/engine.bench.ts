/**
 * engine.zoo.summarise: time to analyse every architecture of the zoo in-process, beside the time
 * tfjs takes to build VGG16 (zero-initialised, cpu backend) and count its parameters.
 */
import type * as Tf from '@tensorflow/tfjs';
import { analyze } from '../../engine/analysis';
import { zoo } from '../../engine/zoo/index';
import { medianMs, record, type Benchmark } from './harness';

/** VGG16 as a tfjs layer stack, the weights filled with zeros so the build measures structure, not random numbers. */
function buildVgg16(tf: typeof Tf): Tf.Sequential {
  const model = tf.sequential();
  const init = { kernelInitializer: 'zeros', biasInitializer: 'zeros' } as const;
  const stages = [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]];
  let first = true;
  for (const stage of stages) {
    for (const filters of stage) {
      model.add(tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', ...init, ...(first ? { inputShape: [224, 224, 3] } : {}) }));
      first = false;
    }
    model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  }
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 4096, activation: 'relu', ...init }));
  model.add(tf.layers.dense({ units: 4096, activation: 'relu', ...init }));
  model.add(tf.layers.dense({ units: 1000, ...init }));
  return model;
}

export const engineBenchmarks: Benchmark[] = [
  {
    name: 'engine.zoo.summarise',
    async run() {
      // Loaded here, not at the top: every CLI command imports the benchmark list.
      const tf = await import('@tensorflow/tfjs');
      await tf.setBackend('cpu');
      let params = 0;
      const engineMs = await medianMs(() => {
        for (const entry of zoo) params += analyze(entry.spec).totals.params;
      }, 15, 3);
      let counted = 0;
      const tfjsMs = await medianMs(() => {
        const model = buildVgg16(tf);
        counted = model.countParams();
        model.dispose();
      }, 3, 1);
      if (counted !== 138_357_544 || params === 0) throw new Error(`tfjs VGG16 counted ${counted} params, expected 138,357,544`);
      return [record('engine.zoo.summarise', engineMs, `ms (${zoo.length} architectures)`, { name: 'tfjs.vgg16.build+countParams', value: tfjsMs })];
    },
  },
];
