// Cost of each job in FLOPs (from the models' own counts) and in time (FLOPs over a
// rate measured on this machine). Deliberately simple; `plan` says what it assumes.
import {computeDtype, type Precision} from '../backend/precision.js'
import {forwardFlops} from '../models/cost.js'
import type {Profile} from '../experiments/types.js'
import type {DatasetInfo, JobNode} from './jobs.js'

/** Multi-crop: a 5x5 grid x 2 flips per image and scale [3.2]. */
const CROPS_PER_IMAGE = 50
/** Dense sees the whole image with its flip; photos are about 4:3. */
const DENSE_ASPECT = 4 / 3

export function imagesOf(dataset: DatasetInfo, profile: Profile): {train: number; val: number} {
  const cap = (n: number, max?: number) => (max === undefined ? n : Math.min(n, max))
  return {train: cap(dataset.trainImages, profile.maxTrainImages), val: cap(dataset.valImages, profile.maxValImages)}
}

/**
 * Training: forward x 3 (forward + two backward products) per image per epoch at
 * the epoch cap, plus the per-epoch centre-crop validation. Eval: forward over the
 * whole rescaled image (dense, x2 flips) or 50 crops (multi-crop). Combine: ~0.
 */
export function jobFlops(node: JobNode, nodes: Map<string, JobNode>, dataset: DatasetInfo, profile: Profile): number {
  const images = imagesOf(dataset, profile)
  switch (node.kind) {
    case 'train': {
      const f = forwardFlops(node.net)
      return node.maxEpochs * (3 * f * images.train + f * images.val)
    }
    case 'eval': {
      const train = nodes.get(node.train)
      if (train?.kind !== 'train') return 0
      const f = forwardFlops(train.net)
      const crop = train.net.crop
      if (node.technique === 'multi-crop') return CROPS_PER_IMAGE * f * images.val
      return 2 * f * ((node.q * node.q * DENSE_ASPECT) / (crop * crop)) * images.val
    }
    default:
      return 0
  }
}

export interface Rate {
  /** sustained GFLOP/s assumed for every job */
  gflops: number
  /** how it was measured, for the plan header */
  source: string
}

/**
 * Time the trainer's own step (its engine: one graph run on native TensorFlow) for
 * net D at the profile's size and batch on random input, and count its FLOPs:
 * the rate the training jobs will see, without data loading. Needs an initialised
 * backend; about a second at the subset size, a few at the paper's.
 */
export async function measureRate(profile: Profile, precision: Precision = 'fp32'): Promise<Rate> {
  const tf = await import('@tensorflow/tfjs-core')
  const {createNet} = await import('../models/index.js')
  const {SgdMomentum} = await import('../train/sgd-momentum.js')
  const {createStepEngine} = await import('../train/step-engine.js')
  const spec = {config: 'D' as const, widthFactor: profile.widthFactor, fcWidth: profile.fcWidth, numClasses: profile.numClasses, crop: profile.crop}
  // at most ~30 GFLOP per timed step, so the paper profile's full-size nets take seconds, not minutes
  const batch = Math.max(2, Math.min(profile.batchSize, 64, Math.floor(30e9 / (3 * forwardFlops(spec)))))
  const net = createNet(spec, {kind: 'glorot'}, 1)
  const sgd = new SgdMomentum(net.variables, (n) => net.isWeight(n), profile)
  const engine = createStepEngine(net, sgd, {...profile, dtype: computeDtype(precision)})
  const x = tf.randomUniform([batch, spec.crop, spec.crop, 3], -100, 100) as import('@tensorflow/tfjs-core').Tensor4D
  const y = tf.zeros([batch], 'int32') as import('@tensorflow/tfjs-core').Tensor1D
  const lr = tf.scalar(1e-4)
  const times: number[] = []
  try {
    for (let i = 0; i < 6; i++) {
      const t0 = performance.now()
      const stats = engine.step(x, y, lr, i, profile.dropout)
      stats.dataSync()
      stats.dispose()
      if (i >= 2) times.push(performance.now() - t0) // 2 warm-up steps
    }
  } finally {
    tf.dispose([x, y, lr])
    engine.dispose()
    sgd.dispose()
    net.dispose()
  }
  times.sort((a, b) => a - b)
  const ms = (times[1] + times[2]) / 2
  const gflops = (3 * forwardFlops(spec) * batch) / (ms / 1000) / 1e9
  return {
    gflops,
    source: `net D training step (${engine.kind}, ${precision}), batch ${batch} at ${spec.crop}x${spec.crop}: ${gflops.toFixed(1)} GFLOP/s (median of ${times.length})`,
  }
}
