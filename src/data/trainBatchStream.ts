// Training batches for one dataset: epoch permutation + augmentation draws on the main
// thread (deterministic), decoding in worker threads, a bounded prefetch queue.
import os from 'node:os'
import {drawAugment, type AugmentOptions} from './augment.js'
import type {BatchJob, BatchReply, SkippedImage} from './batchJob.js'
import type {ImageFolderIndex, Sample} from './imageFolder.js'
import {hashKey, permutation} from './prng.js'
import type {DatasetStats} from './stats.js'
import {WorkerPool} from './workerPool.js'

export interface Batch {
  /** n*crop*crop*3 floats, NHWC, RGB 0..255 minus the mean */
  images: Float32Array
  labels: Int32Array
  n: number
  crop: number
}

export interface TrainStreamOptions {
  crop: number
  /** S is drawn per image uniformly from the integers [scaleMin, scaleMax] (equal: fixed S) */
  scaleMin: number
  scaleMax: number
  batchSize: number
  seed: number
  /** decode threads (default max(1, cores - 1)) */
  workers?: number
  /** batches decoded ahead, including those being decoded (default workers + 1) */
  prefetch?: number
  /** train on a fixed, seed-chosen subset of this many images */
  maxImages?: number
  /** std of AlexNet's PCA colour-shift coefficients (default 0.1; 0 = off) */
  colorShiftStd?: number
}

const PERM_STREAM = 0x9e7
const SUBSET_STREAM = 0x5b5

/**
 * Batch b of epoch e holds positions [b*batchSize, (b+1)*batchSize) of that epoch's
 * permutation; the last batch may be partial (batchesPerEpoch = ceil(N / batchSize)).
 * A corrupt image is left out of its batch (the batch is shorter, n < batchSize) and
 * reported by skipped(): filling from the next sample would make every later batch
 * depend on which files failed.
 */
export class TrainBatchStream {
  readonly batchesPerEpoch: number
  private readonly samples: Sample[]
  private readonly opts: Required<Omit<TrainStreamOptions, 'maxImages'>>
  private readonly augment: AugmentOptions
  private pool: WorkerPool | undefined
  private readonly skippedByPath = new Map<string, string>()
  private nextJobId = 0
  private closed = false

  constructor(index: ImageFolderIndex, private readonly stats: DatasetStats, opts: TrainStreamOptions) {
    const {crop, scaleMin, scaleMax, batchSize, seed} = opts
    const int = (name: string, v: number, min: number) => {
      if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`TrainBatchStream: ${name} must be an integer >= ${min}, got ${v}`)
    }
    int('crop', crop, 1)
    int('scaleMin', scaleMin, crop) // the crop must fit inside the rescaled image
    int('scaleMax', scaleMax, scaleMin)
    int('batchSize', batchSize, 1)
    int('seed', seed, 0)
    const workers = opts.workers ?? Math.max(1, os.availableParallelism() - 1)
    int('workers', workers, 1)
    const prefetch = opts.prefetch ?? workers + 1
    int('prefetch', prefetch, 1)
    const colorShiftStd = opts.colorShiftStd ?? 0.1
    if (!(colorShiftStd >= 0)) throw new RangeError(`TrainBatchStream: colorShiftStd must be >= 0, got ${colorShiftStd}`)
    this.opts = {crop, scaleMin, scaleMax, batchSize, seed, workers, prefetch, colorShiftStd}
    this.augment = {scaleMin, scaleMax, colorShiftStd}
    this.samples = chooseSubset(index.train, opts.maxImages, seed)
    if (this.samples.length === 0) throw new RangeError(`TrainBatchStream: no training images in ${index.root}`)
    this.batchesPerEpoch = Math.ceil(this.samples.length / batchSize)
  }

  /** Images per epoch (after maxImages). */
  get size(): number {
    return this.samples.length
  }

  /** Batches startBatch.. of an epoch, in order; identical for the same (seed, epoch) whatever the worker count. */
  async *batches(epoch: number, startBatch = 0): AsyncGenerator<Batch> {
    if (this.closed) throw new Error('TrainBatchStream is closed')
    if (!Number.isSafeInteger(epoch) || epoch < 0) throw new RangeError(`batches: epoch must be an integer >= 0, got ${epoch}`)
    if (!Number.isSafeInteger(startBatch) || startBatch < 0 || startBatch > this.batchesPerEpoch) {
      throw new RangeError(`batches: startBatch must be in [0, ${this.batchesPerEpoch}], got ${startBatch}`)
    }
    this.pool ??= new WorkerPool(this.opts.workers)
    const pool = this.pool
    const order = permutation(this.samples.length, hashKey(this.opts.seed, PERM_STREAM, epoch))
    const inFlight: {id: number; reply: Promise<BatchReply>}[] = []
    let next = startBatch
    const submit = () => {
      const job = this.job(order, epoch, next++)
      const reply = pool.run(job)
      reply.catch(() => {}) // handled when awaited; silences jobs abandoned by an early exit
      inFlight.push({id: job.id, reply})
    }
    try {
      while (next < this.batchesPerEpoch && inFlight.length < this.opts.prefetch) submit()
      while (inFlight.length > 0) {
        const r = await inFlight.shift()!.reply
        if (next < this.batchesPerEpoch) submit()
        for (const s of r.skipped!) this.skippedByPath.set(s.path, s.reason)
        yield {images: r.images!, labels: r.labels!, n: r.n!, crop: this.opts.crop}
      }
    } finally {
      pool.cancelQueued(new Set(inFlight.map((f) => f.id)))
    }
  }

  private job(order: Uint32Array, epoch: number, b: number): BatchJob {
    const {batchSize, seed, crop} = this.opts
    const end = Math.min(order.length, (b + 1) * batchSize)
    const samples: BatchJob['samples'] = []
    for (let pos = b * batchSize; pos < end; pos++) {
      const s = this.samples[order[pos]]
      samples.push({path: s.path, label: s.label, draw: drawAugment(seed, epoch, pos, this.augment, this.stats)})
    }
    return {id: this.nextJobId++, crop, samples}
  }

  /** Unreadable training images met so far (each file once). */
  skipped(): SkippedImage[] {
    return [...this.skippedByPath].map(([path, reason]) => ({path, reason}))
  }

  async close(): Promise<void> {
    this.closed = true
    await this.pool?.close()
    this.pool = undefined
  }
}

/** A fixed subset (same in every epoch) when maxImages caps the training set. */
function chooseSubset(train: Sample[], maxImages: number | undefined, seed: number): Sample[] {
  if (maxImages === undefined || maxImages >= train.length) return train
  if (!Number.isSafeInteger(maxImages) || maxImages < 1) throw new RangeError(`TrainBatchStream: maxImages must be an integer >= 1, got ${maxImages}`)
  const p = permutation(train.length, hashKey(seed, SUBSET_STREAM))
  return Array.from(p.subarray(0, maxImages)).sort((a, b) => a - b).map((i) => train[i])
}
