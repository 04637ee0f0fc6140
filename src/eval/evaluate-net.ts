// The evaluation loop of one net at one Q: decode images ahead (bounded), group
// them by rescaled size so same-size images share one forward call, run dense or
// multi-crop on the backend, read back only the [B, classes] posteriors.
import * as tf from '@tensorflow/tfjs-core'
import {DEFAULT_LIMITS, denseImagesPerCall, multiCropPlan, samplesPerCall, type BatchLimits} from './batch-plan.js'
import {DEFAULT_DENSE_FIT, denseInputs, densePosteriors, type DenseFit} from './dense.js'
import {EvalInputError} from './errors.js'
import {distinctWindows, multiCropPosteriors} from './multi-crop.js'
import {prefetchMap} from './prefetch.js'
import type {EvalNet, EvalProgress, Posteriors, SingleTechnique, SkippedImage} from './types.js'
import {checkScale, checkSingleTechnique} from './validate.js'

export interface EvalSample {
  /** stable id, e.g. the path relative to the dataset root */
  id: string
  path: string
  label: number
}

/** Decoded, rescaled (shorter side Q), mean-subtracted HWC float32 RGB. */
export interface EvalImage {
  data: Float32Array
  height: number
  width: number
}

export type ImageLoader = (path: string, q: number) => Promise<EvalImage>

export interface EvaluateNetOptions {
  net: EvalNet
  samples: readonly EvalSample[]
  classes: string[]
  technique: SingleTechnique
  scale: number
  load: ImageLoader
  limits?: Partial<BatchLimits>
  /** images decoded ahead of the forward pass */
  prefetch?: number
  /** host bytes of decoded images waiting for a full group before the largest group is run anyway */
  maxPendingBytes?: number
  /** how dense evaluation fits an image to whole 32-pixel cells (default DEFAULT_DENSE_FIT) */
  denseFit?: DenseFit
  /** which load errors mean "corrupt image: skip and count" (others abort) */
  isCorrupt?: (error: unknown) => boolean
  onProgress?: (p: EvalProgress) => void
}

export interface NetEvaluation {
  /** posteriors of the evaluated images, in sample order (checkpoints left empty) */
  posteriors: Posteriors
  imgPerS: number
  wallMs: number
}

interface Pending {
  index: number
  image: EvalImage
}

const defaultIsCorrupt = (error: unknown): boolean => error instanceof Error && error.name === 'CorruptImageError'

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]
}

export async function evaluateNet(opts: EvaluateNetOptions): Promise<NetEvaluation> {
  const {net, samples, classes, scale} = opts
  const technique = checkSingleTechnique(opts.technique)
  checkScale(scale, net.spec.crop)
  if (net.spec.numClasses !== classes.length) {
    throw new EvalInputError(`the net has ${net.spec.numClasses} classes but the dataset has ${classes.length}`)
  }
  const limits: BatchLimits = {...DEFAULT_LIMITS, ...opts.limits}
  const isCorrupt = opts.isCorrupt ?? defaultIsCorrupt
  const fit = opts.denseFit ?? DEFAULT_DENSE_FIT
  const numClasses = classes.length
  const total = samples.length
  const out = new Float32Array(total * numClasses)
  const done = new Uint8Array(total)
  const skipped: SkippedImage[] = []
  const cropsPerCall = multiCropPlan(net, limits, 1).cropsPerCall
  // Repeated grid windows (Q near crop) are computed once, so fewer crops per image.
  const groupSize = (h: number, w: number) =>
    technique === 'dense'
      ? denseImagesPerCall(net, denseInputs(h, w, fit).height, denseInputs(h, w, fit).width, limits)
      : multiCropPlan(net, limits, 2 * distinctWindows(h, w, net.spec.crop).length).imagesPerGroup
  const maxPendingBytes = opts.maxPendingBytes ?? 256 * 1024 * 1024

  const buckets = new Map<string, Pending[]>()
  let pendingBytes = 0
  let evaluated = 0
  const start = performance.now()
  const report = () => {
    const secs = (performance.now() - start) / 1000
    opts.onProgress?.({done: evaluated + skipped.length, total, skipped: skipped.length, imgPerS: secs > 0 ? evaluated / secs : 0})
  }

  const run = async (key: string): Promise<void> => {
    const group = buckets.get(key)
    if (group === undefined || group.length === 0) return
    buckets.delete(key)
    const {height: h, width: w} = group[0].image
    const pixels = h * w * 3
    const host = new Float32Array(group.length * pixels)
    group.forEach((g, i) => host.set(g.image.data, i * pixels))
    pendingBytes -= host.byteLength
    const probs = tf.tidy(() => {
      const x = tf.tensor4d(host, [group.length, h, w, 3])
      if (technique === 'multi-crop') return multiCropPosteriors(net, x, cropsPerCall)
      const size = denseInputs(h, w, fit)
      return densePosteriors(net, x, samplesPerCall(net, size.height, size.width, limits) < 2, fit)
    })
    const values = (await probs.data()) as Float32Array
    probs.dispose()
    group.forEach((g, i) => {
      out.set(values.subarray(i * numClasses, (i + 1) * numClasses), g.index * numClasses)
      done[g.index] = 1
    })
    evaluated += group.length
    report()
  }

  type Loaded = {index: number; image?: EvalImage; error?: unknown}
  const loads = prefetchMap(samples, opts.prefetch ?? 6, async (s, index): Promise<Loaded> => {
    try {
      return {index, image: await opts.load(s.path, scale)}
    } catch (error) {
      return {index, error}
    }
  })
  for await (const item of loads) {
    if (item.image === undefined) {
      if (!isCorrupt(item.error)) throw item.error
      skipped.push({id: samples[item.index].id, reason: firstLine(item.error)})
      report()
      continue
    }
    const {height: h, width: w} = item.image
    if (Math.min(h, w) !== scale) {
      throw new Error(`image loader returned ${h}x${w} for Q=${scale} (${samples[item.index].path}): the shorter side must equal Q`)
    }
    const key = `${h}x${w}`
    const group = buckets.get(key) ?? []
    group.push({index: item.index, image: item.image})
    buckets.set(key, group)
    pendingBytes += item.image.data.byteLength
    if (group.length >= groupSize(h, w)) await run(key)
    // Too many partial groups waiting: run the largest one (fewest extra calls).
    while (pendingBytes > maxPendingBytes && buckets.size > 0) {
      let best = ''
      let bestLen = -1
      for (const [k, g] of buckets) if (g.length > bestLen) [best, bestLen] = [k, g.length]
      await run(best)
    }
  }
  for (const key of [...buckets.keys()]) await run(key)
  const wallMs = performance.now() - start

  // Keep the evaluated images only, in sample order.
  const keep: number[] = []
  for (let i = 0; i < total; i++) if (done[i] === 1) keep.push(i)
  const data = new Float32Array(keep.length * numClasses)
  keep.forEach((src, dst) => data.set(out.subarray(src * numClasses, (src + 1) * numClasses), dst * numClasses))
  return {
    posteriors: {
      classes,
      ids: keep.map((i) => samples[i].id),
      labels: Int32Array.from(keep, (i) => samples[i].label),
      data,
      n: keep.length,
      technique,
      scales: [scale],
      checkpoints: [],
      skipped,
    },
    imgPerS: wallMs > 0 ? (1000 * keep.length) / wallMs : 0,
    wallMs,
  }
}
