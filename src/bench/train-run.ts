// A short real training run (trainNet: stream, steps, validation, checkpoint) in a
// child process, for its peak resident memory and an end-to-end images/s.
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type {TrainJob} from '../train/types.js'
import {askChild} from './ask-child.js'
import type {TrainChildReply} from './train-child.js'

export interface TrainRunResult {
  config: string
  images: number
  peakRssMb: number
  /** trainNet's own epoch figures (warm-up steps included) */
  imgPerS: number
  dataWaitFraction: number
  wallMs: number
  /** absent in runs before precision existed (fp32) */
  precision?: string
}

/** The job runs in a fresh output folder that is removed afterwards. */
export async function measureTrainRun(job: Omit<TrainJob, 'outDir'>): Promise<TrainRunResult> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'vgg-bench-train-'))
  try {
    const {reply, exited} = await askChild<TrainChildReply>('train-child', {...job, outDir} satisfies TrainJob, {what: 'training child'})
    await exited
    if (!reply.ok) throw new Error(reply.error ?? 'training child failed')
    const m = reply.metrics?.at(-1)
    if (m === undefined) throw new Error(`the training run ended without a completed epoch (${reply.stoppedBy}: ${reply.message ?? ''})`)
    return {
      config: job.net.config,
      images: m.trainImages,
      peakRssMb: reply.maxRssKb! / 1024,
      imgPerS: m.imgPerS,
      dataWaitFraction: m.dataWaitFrac,
      wallMs: reply.wallMs!,
      precision: job.precision,
    }
  } finally {
    await rm(outDir, {recursive: true, force: true})
  }
}
