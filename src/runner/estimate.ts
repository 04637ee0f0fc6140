// Cost of each job in FLOPs (from the models' own counts) and in time (FLOPs over a
// rate measured on this machine). Deliberately simple; `plan` says what it assumes.
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
 * Measure a 3x3 conv forward+backward at the profile's typical layer (half the
 * crop, conv3 width); narrow layers run below the machine's peak, as the jobs do.
 * Needs an initialised backend.
 */
export async function measureRate(profile: Profile): Promise<Rate> {
  const {measureConvGflops} = await import('../backend/conv-benchmark.js')
  const size = Math.max(8, profile.crop / 2)
  const channels = Math.max(4, Math.round(128 * profile.widthFactor))
  const batch = Math.min(profile.batchSize, 32)
  const b = measureConvGflops(batch, size, channels, 5)
  return {
    gflops: b.gflops,
    source: `3x3 conv forward+backward, batch ${batch}, ${size}x${size}x${channels}: ${b.gflops.toFixed(1)} GFLOP/s (median of ${b.steps})`,
  }
}
