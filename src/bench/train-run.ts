// A short real training run (trainNet: stream, steps, validation, checkpoint) in a
// child process, for its peak resident memory and an end-to-end images/s.
import {fork} from 'node:child_process'
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {TrainJob} from '../train/types.js'
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
    const here = import.meta.url
    const entry = fileURLToPath(new URL(here.endsWith('.ts') ? './train-child.ts' : './train-child.js', here))
    // Under tsx (tests) the child needs the loader too.
    const execArgv = here.endsWith('.ts') ? ['--import', 'tsx'] : []
    const child = fork(entry, [], {execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc']})
    let stderr = ''
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)))
    const reply = await new Promise<TrainChildReply>((resolve) => {
      child.once('message', (m) => resolve(m as TrainChildReply))
      child.once('exit', (code) => resolve({ok: false, error: `training child exited with code ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`}))
      child.send({...job, outDir} satisfies TrainJob)
    })
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r))
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
