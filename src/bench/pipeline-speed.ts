// Training images/s through the real input pipeline (TrainBatchStream: worker
// threads decoding, augmenting and prefetching), and the fraction of the wall time
// the step loop spent waiting for a batch.
import {setImmediate as yieldToLoop} from 'node:timers/promises'
import type {DatasetStats} from '../data/stats.js'
import type {ImageFolderIndex} from '../data/image-folder.js'
import {defaultDecodeWorkers, TrainBatchStream} from '../data/train-batch-stream.js'
import {summarize, type TimingSummary} from './stats.js'
import {StepRunner, type StepSetup} from './step-runner.js'

export interface PipelineTiming {
  /** step compute time, ms */
  stepMs: TimingSummary
  /** time waiting for each batch, ms */
  waitMs: TimingSummary
  warmup: number
  steps: number
  /** timed images / timed wall time (wait + compute) */
  imgPerS: number
  /** waiting / (waiting + compute) over the timed steps */
  dataWaitFraction: number
  workers: number
}

export interface PipelineOptions {
  warmup: number
  steps: number
  /** training scale S (shorter side before cropping); with scaleMax, the jitter range [scale, scaleMax] */
  scale: number
  scaleMax?: number
  /**
   * Time a second pass over the same images, served from the decoded-image cache as every
   * epoch after a net's first is (only crops, or for S jitter one resampling per crop);
   * default false: the first pass, decoding every JPEG.
   */
  warmCache?: boolean
  colorShiftStd: number
  workers?: number
  prefetch?: number
}

export async function measurePipeline(setup: StepSetup, index: ImageFolderIndex, stats: DatasetStats, opts: PipelineOptions): Promise<PipelineTiming> {
  // TrainBatchStream's own default, stated so the report can say how many decoded.
  const workers = opts.workers ?? defaultDecodeWorkers(opts.scale, opts.scaleMax ?? opts.scale)
  const stream = new TrainBatchStream(index, stats, {
    crop: setup.spec.crop,
    scaleMin: opts.scale,
    scaleMax: opts.scaleMax ?? opts.scale,
    batchSize: setup.batch,
    seed: setup.seed,
    colorShiftStd: opts.colorShiftStd,
    workers,
    prefetch: opts.prefetch,
    maxImages: setup.batch * (opts.warmup + opts.steps),
  })
  const runner = new StepRunner(setup)
  const stepTimes: number[] = []
  const waitTimes: number[] = []
  let images = 0
  try {
    if (opts.warmCache === true) for await (const _ of stream.batches(0)); // fill the cache, untimed
    const it = stream.batches(opts.warmCache === true ? 1 : 0)[Symbol.asyncIterator]()
    try {
      for (let i = 0; i < opts.warmup + opts.steps; i++) {
        await yieldToLoop() // as the trainer: lets worker replies be delivered
        const w0 = performance.now()
        const next = await it.next()
        const w1 = performance.now()
        if (next.done === true) break
        const b = next.value
        runner.step(b.images, b.labels, b.n)
        const s1 = performance.now()
        if (i >= opts.warmup) {
          waitTimes.push(w1 - w0)
          stepTimes.push(s1 - w1)
          images += b.n
        }
      }
    } finally {
      await it.return?.(undefined)
    }
    runner.read()
    if (stepTimes.length === 0) throw new Error(`the dataset gave no batches after ${opts.warmup} warm-up steps`)
    const waitSum = waitTimes.reduce((a, b) => a + b, 0)
    const stepSum = stepTimes.reduce((a, b) => a + b, 0)
    return {
      stepMs: summarize(stepTimes),
      waitMs: summarize(waitTimes),
      warmup: opts.warmup,
      steps: stepTimes.length,
      imgPerS: (1000 * images) / (waitSum + stepSum),
      dataWaitFraction: waitSum / (waitSum + stepSum),
      workers,
    }
  } finally {
    runner.dispose()
    await stream.close()
  }
}
