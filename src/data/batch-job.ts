// The unit of work a decode worker receives: one whole batch, and its reply.
import type {AugmentDraw} from './augment.js'
import {fillSlot, sampleFromSlot, slotReady, type CacheSlot, type SharedPixels} from './cached-sample.js'
import {CorruptImageError} from './errors.js'
import {loadTrainSample} from './train-sample.js'

export interface JobSample {
  path: string
  label: number
  draw: AugmentDraw
  /** the image's place in the decoded cache (absent: decode the file, the uncached path) */
  slot?: CacheSlot
  /** already known to be unreadable (reason): skipped without touching the file */
  corrupt?: string
}

export interface BatchJob {
  id: number
  crop: number
  samples: JobSample[]
  /** decoded-image cache, when the stream has one */
  cache?: SharedPixels
}

export interface SkippedImage {
  path: string
  reason: string
}

export interface BatchReply {
  id: number
  /** n*crop*crop*3 floats (NHWC); corrupt samples are left out, so n may be < samples.length */
  images?: Float32Array
  labels?: Int32Array
  n?: number
  skipped?: SkippedImage[]
  /** image files decoded for this batch (0 when every sample came from the cache) */
  decoded?: number
  /** set instead of the fields above when the batch failed for another reason */
  error?: string
}

// Images decoded at once per worker: keeps libuv's pool (where sharp runs) busy.
const IN_FLIGHT = 4

/** Decode all samples of a job; corrupt images are dropped and the batch compacted in order. */
export async function buildBatch(job: BatchJob): Promise<Required<Omit<BatchReply, 'error'>>> {
  const per = job.crop * job.crop * 3
  const count = job.samples.length
  let images = new Float32Array(count * per)
  const ok = new Uint8Array(count)
  const skipped: SkippedImage[] = []
  let decoded = 0
  let next = 0
  const run = async () => {
    while (next < count) {
      const i = next++
      const s = job.samples[i]
      try {
        if (s.corrupt !== undefined) throw new CorruptImageError(s.path, s.corrupt)
        if (job.cache !== undefined && s.slot !== undefined) {
          if (!slotReady(s.slot, job.cache)) {
            decoded++
            await fillSlot(s.path, s.slot, job.cache)
          }
          sampleFromSlot(s.slot, job.cache, s.draw, job.crop, images, i * per)
        } else {
          decoded++
          await loadTrainSample(s.path, s.draw, job.crop, images, i * per)
        }
        ok[i] = 1
      } catch (e) {
        if (!(e instanceof CorruptImageError)) throw e
        skipped.push({path: e.path, reason: e.reason})
      }
    }
  }
  await Promise.all(Array.from({length: Math.min(IN_FLIGHT, count)}, run))
  const labels = new Int32Array(count)
  let n = 0
  for (let i = 0; i < count; i++) {
    if (!ok[i]) continue
    if (n !== i) images.copyWithin(n * per, i * per, (i + 1) * per)
    labels[n++] = job.samples[i].label
  }
  if (n < count) images = images.slice(0, n * per) // rare: exact length for the consumer
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  return {id: job.id, images, labels: n < count ? labels.slice(0, n) : labels, n, skipped, decoded}
}
