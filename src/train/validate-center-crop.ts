// Per-epoch validation for the lr schedule [3.1]: one centre crop per val image at
// a single scale Q, top-1 / top-5 counted on the backend. Cheaper than the paper's
// dense / multi-crop test protocol, which src/eval implements for the tables.
import * as tf from '@tensorflow/tfjs-core'
import {CorruptImageError} from '../data/errors.js'
import {loadEvalImage} from '../data/eval-image.js'
import type {Sample} from '../data/image-folder.js'
import {centerCrop} from './center-crop.js'
import type {CropCache} from './crop-cache.js'
import {topkHits} from './topk-counts.js'
import type {TrainableNet} from './types.js'
import {balancedSubset} from '../data/balanced-subset.js'

export interface ValidateOptions {
  meanRgb: [number, number, number]
  /** Q: shorter side of the rescaled val image */
  scale: number
  batchSize: number
  /** cap, taken class by class in turn (see val-subset.ts) */
  maxImages?: number
  cache?: CropCache
  signal?: AbortSignal
}

export interface ValidationResult {
  n: number
  skipped: {path: string; reason: string}[]
  /** percent */
  top1Err: number
  top5Err: number
  /** fraction, what the schedule compares */
  top1Acc: number
  /** false when the signal aborted it part-way */
  complete: boolean
}

export async function validateCenterCrop(
  net: Pick<TrainableNet, 'spec' | 'logits'>,
  samples: readonly Sample[],
  opts: ValidateOptions,
): Promise<ValidationResult> {
  const {crop} = net.spec
  const list = balancedSubset(samples, opts.maxImages)
  const skipped: ValidationResult['skipped'] = []
  let hits = tf.zeros([2]) as tf.Tensor1D
  let n = 0
  let complete = true
  for (let start = 0; start < list.length; start += opts.batchSize) {
    if (opts.signal?.aborted) {
      complete = false
      break
    }
    const chunk = list.slice(start, start + opts.batchSize)
    const crops = await Promise.all(chunk.map((s) => cropOf(s, crop, opts)))
    const ok = chunk.flatMap((s, i) => {
      const c = crops[i]
      if (c instanceof CorruptImageError) {
        skipped.push({path: s.path, reason: c.reason})
        return []
      }
      return [{crop: c, label: s.label}]
    })
    if (ok.length === 0) continue
    const images = new Float32Array(ok.length * crop * crop * 3)
    ok.forEach((o, i) => images.set(o.crop, i * crop * crop * 3))
    const next = tf.tidy(() => {
      const x = tf.tensor4d(images, [ok.length, crop, crop, 3])
      const y = tf.tensor1d(Int32Array.from(ok.map((o) => o.label)), 'int32')
      return tf.add(hits, topkHits(net.logits(x, {training: false}), y)) as tf.Tensor1D
    })
    hits.dispose()
    hits = next
    n += ok.length
  }
  const [top1, top5] = await hits.data()
  hits.dispose()
  const pct = (h: number) => (n === 0 ? NaN : (100 * (n - h)) / n)
  return {n, skipped, top1Err: pct(top1), top5Err: pct(top5), top1Acc: n === 0 ? 0 : top1 / n, complete}
}

async function cropOf(s: Sample, crop: number, opts: ValidateOptions): Promise<Float32Array | CorruptImageError> {
  const key = `${s.path}@${opts.scale}/${crop}`
  const cached = opts.cache?.get(key)
  if (cached !== undefined) return cached
  try {
    const img = await loadEvalImage(s.path, opts.scale, {meanRgb: opts.meanRgb})
    const c = centerCrop(img.data, img.height, img.width, crop)
    opts.cache?.set(key, c)
    return c
  } catch (error) {
    if (error instanceof CorruptImageError) return error
    throw error
  }
}
