// Training batches for one dataset: epoch permutation + augmentation draws on the main
// thread (deterministic), decoding in worker threads, a bounded prefetch queue. With the
// decoded-image cache (default) each image is decoded once per (dataset, scaleMax) and
// every sample is cut from the cached pixels, so a run gives the same batches whether the
// cache was just filled or loaded from disk.
import os from 'node:os'
import {drawAugment, type AugmentOptions} from './augment.js'
import type {BatchJob, BatchReply, SkippedImage} from './batch-job.js'
import {datasetCacheDir, defaultCacheDir} from './cache-dir.js'
import {DecodedCache} from './decoded-cache.js'
import type {ImageFolderIndex, Sample} from './image-folder.js'
import {envValue} from '../util/env.js'
import {hashKey, permutation} from '../util/prng.js'
import type {DatasetStats} from './stats.js'
import {sharedPool, type WorkerPool} from './worker-pool.js'

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
  /**
   * Decoded-image cache (default on): images decoded once at shorter side scaleMax and
   * kept in shared memory, saved as <dir>/datasets/<id>/decoded-<scaleMax>.bin when the
   * stream covers the whole training set (not with maxImages). dir defaults to
   * defaultCacheDir() (null: memory only); maxBytes (default 4 GB, or
   * $VGG_REPRO_DECODE_CACHE_MB) caps the memory, above it every epoch decodes. false: off.
   */
  cache?: boolean | {dir?: string | null; maxBytes?: number}
}

/** What the decoded-image cache is doing (for logs, benchmarks and tests). */
export interface CacheInfo {
  /** 'memory': in use; 'off': disabled or over the cap (see reason); 'pending': before the first batches() */
  mode: 'memory' | 'off' | 'pending'
  side: number
  bytes: number
  /** pixels were loaded from decoded-<side>.bin */
  fromDisk: boolean
  /** image files decoded by the workers so far (cached or not) */
  decodes: number
  reason?: string
}

const DEFAULT_CACHE_BYTES = 4e9

// Job ids are unique in the process: streams share a decode pool (cancelQueued by id).
let nextJobId = 0

const PERM_STREAM = 0x9e7
const SUBSET_STREAM = 0x5b5

/**
 * Decode workers when none are asked for. With a fixed S, every epoch after the first copies
 * its crops from the decoded cache: one worker, and the other cores to TensorFlow. With scale
 * jitter, every crop is resampled in JS (resize-crop.ts, ~1.5 ms CPU per 128-pixel crop), which
 * one worker cannot do as fast as the step consumes: one worker per core then. Measured on
 * 2 cores, subset profile, bf16, from the cache (bench/history.yaml, 2026-12-07):
 * jittered A 541 -> 698, D 495 -> 622, E 504 -> 567 images/s, data wait 8-46% -> under 3%.
 * The batches are the same whatever the count.
 */
export function defaultDecodeWorkers(scaleMin: number, scaleMax: number, cores = os.availableParallelism()): number {
  return scaleMax > scaleMin ? Math.max(1, cores) : Math.max(1, cores - 1)
}

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
  private readonly opts: Required<Omit<TrainStreamOptions, 'maxImages' | 'cache'>>
  private readonly augment: AugmentOptions
  private pool: WorkerPool | undefined
  private readonly skippedByPath = new Map<string, string>()
  private closed = false
  private readonly cacheOpts: {dir: string | undefined; maxBytes: number} | undefined
  private cache: Promise<DecodedCache | {off: string}> | undefined
  private cacheNow: DecodedCache | {off: string} | undefined
  private decodes = 0

  constructor(private readonly index: ImageFolderIndex, private readonly stats: DatasetStats, opts: TrainStreamOptions) {
    const {crop, scaleMin, scaleMax, batchSize, seed} = opts
    const int = (name: string, v: number, min: number) => {
      if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`TrainBatchStream: ${name} must be an integer >= ${min}, got ${v}`)
    }
    int('crop', crop, 1)
    int('scaleMin', scaleMin, crop) // the crop must fit inside the rescaled image
    int('scaleMax', scaleMax, scaleMin)
    int('batchSize', batchSize, 1)
    int('seed', seed, 0)
    const workers = opts.workers ?? defaultDecodeWorkers(scaleMin, scaleMax)
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
    this.cacheOpts = cacheOptions(opts.cache, index.id, this.samples === index.train)
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
    this.pool ??= sharedPool(this.opts.workers)
    const pool = this.pool
    const cache = await this.openCache()
    const order = permutation(this.samples.length, hashKey(this.opts.seed, PERM_STREAM, epoch))
    const inFlight: {id: number; reply: Promise<BatchReply>; entries: number[]}[] = []
    let next = startBatch
    const submit = () => {
      const b = next++
      const job = this.job(order, epoch, b, cache)
      const reply = pool.run(job)
      reply.catch(() => {}) // handled when awaited; silences jobs abandoned by an early exit
      inFlight.push({id: job.id, reply, entries: this.entries(order, b)})
    }
    try {
      while (next < this.batchesPerEpoch && inFlight.length < this.opts.prefetch) submit()
      while (inFlight.length > 0) {
        const f = inFlight.shift()!
        const r = await f.reply
        if (this.closed) throw new Error('TrainBatchStream is closed')
        if (next < this.batchesPerEpoch) submit()
        this.decodes += r.decoded ?? 0
        for (const s of r.skipped!) this.skippedByPath.set(s.path, s.reason)
        if (cache !== undefined && r.skipped!.length > 0) {
          const reasons = new Map(r.skipped!.map((s) => [s.path, s.reason]))
          for (const i of f.entries) {
            const reason = reasons.get(this.samples[i].path)
            if (reason !== undefined) cache.markCorrupt(i, reason)
          }
        }
        yield {images: r.images!, labels: r.labels!, n: r.n!, crop: this.opts.crop}
      }
      cache?.saveWhenComplete()
    } finally {
      pool.cancelQueued(new Set(inFlight.map((f) => f.id)))
    }
  }

  private job(order: Uint32Array, epoch: number, b: number, cache: DecodedCache | undefined): BatchJob {
    const {seed, crop} = this.opts
    const samples: BatchJob['samples'] = []
    for (const [pos, i] of this.positions(order, b)) {
      const s = this.samples[i]
      const draw = drawAugment(seed, epoch, pos, this.augment, this.stats)
      if (cache === undefined) samples.push({path: s.path, label: s.label, draw})
      else samples.push({path: s.path, label: s.label, draw, slot: cache.slot(i), corrupt: cache.corruptReason(i)})
    }
    return {id: nextJobId++, crop, samples, cache: cache?.shared}
  }

  /** [position in the epoch, sample index] of batch b. */
  private *positions(order: Uint32Array, b: number): Generator<[number, number]> {
    const end = Math.min(order.length, (b + 1) * this.opts.batchSize)
    for (let pos = b * this.opts.batchSize; pos < end; pos++) yield [pos, order[pos]]
  }

  private entries(order: Uint32Array, b: number): number[] {
    return [...this.positions(order, b)].map(([, i]) => i)
  }

  /** The decoded cache, opened (sized, or loaded from disk) on first use; undefined when off. */
  private async openCache(): Promise<DecodedCache | undefined> {
    if (this.cacheOpts === undefined) return undefined
    this.cache ??= DecodedCache.open(this.samples, {
      datasetId: this.index.id,
      root: this.index.root,
      side: this.opts.scaleMax,
      maxBytes: this.cacheOpts.maxBytes,
      dir: this.cacheOpts.dir,
    })
    const c = (this.cacheNow = await this.cache)
    return c instanceof DecodedCache ? c : undefined
  }

  /** State of the decoded-image cache. */
  cacheInfo(): CacheInfo {
    const side = this.opts.scaleMax
    const decodes = this.decodes
    if (this.cacheOpts === undefined) return {mode: 'off', side, bytes: 0, fromDisk: false, decodes, reason: 'disabled'}
    const c = this.cacheNow
    if (c === undefined) return {mode: 'pending', side, bytes: 0, fromDisk: false, decodes}
    if (!(c instanceof DecodedCache)) return {mode: 'off', side, bytes: 0, fromDisk: false, decodes, reason: c.off}
    return {mode: 'memory', side, bytes: c.bytes, fromDisk: c.fromDisk, decodes, reason: c.saveError ?? c.rebuilt}
  }

  /** Unreadable training images met so far (each file once). */
  skipped(): SkippedImage[] {
    return [...this.skippedByPath].map(([path, reason]) => ({path, reason}))
  }

  /** The shared decode pool stays up for the next stream; this stream's queued jobs were dropped. */
  async close(): Promise<void> {
    this.closed = true
    this.pool = undefined
    const c = this.cacheNow
    if (c instanceof DecodedCache) await c.settled()
    this.cache = this.cacheNow = undefined // let the shared pixels go
  }
}

/** Resolved cache options; the disk file only when the stream covers the whole training set. */
function cacheOptions(
  opt: TrainStreamOptions['cache'],
  id: string,
  wholeSet: boolean,
  env: NodeJS.ProcessEnv = process.env,
): {dir: string | undefined; maxBytes: number} | undefined {
  if (opt === false) return undefined
  const o = typeof opt === 'object' ? opt : {}
  const envMb = envValue('VGG_REPRO_DECODE_CACHE_MB', env)
  const maxBytes = o.maxBytes ?? (envMb !== undefined ? Number(envMb) * 1e6 : DEFAULT_CACHE_BYTES)
  if (!(maxBytes >= 0)) throw new RangeError(`TrainBatchStream: cache maxBytes (or $VGG_REPRO_DECODE_CACHE_MB) must be >= 0, got ${maxBytes}`)
  if (maxBytes === 0) return undefined
  const root = o.dir === null ? undefined : (o.dir ?? defaultCacheDir(env))
  return {dir: root !== undefined && wholeSet ? datasetCacheDir(id, root) : undefined, maxBytes}
}

/** A fixed subset (same in every epoch) when maxImages caps the training set. */
function chooseSubset(train: Sample[], maxImages: number | undefined, seed: number): Sample[] {
  if (maxImages === undefined || maxImages >= train.length) return train
  if (!Number.isSafeInteger(maxImages) || maxImages < 1) throw new RangeError(`TrainBatchStream: maxImages must be an integer >= 1, got ${maxImages}`)
  const p = permutation(train.length, hashKey(seed, SUBSET_STREAM))
  return Array.from(p.subarray(0, maxImages)).sort((a, b) => a - b).map((i) => train[i])
}
