// The executor that does the work: trainNet for train jobs, evaluateCheckpoint for
// one (technique, Q) evaluation, averaged posterior files for combinations.
import {mkdir} from 'node:fs/promises'
import path from 'node:path'
import {indexImageFolder, type ImageFolderIndex} from '../data/image-folder.js'
import {averagePosteriors} from '../eval/average.js'
import {errorsFromPosteriors} from '../eval/error-rates.js'
import {evaluateCheckpoint} from '../eval/evaluate-checkpoint.js'
import {writePosteriors} from '../eval/posteriors-file.js'
import {setAsideIfCorrupt} from '../train/corrupt-checkpoint.js'
import {checkpointPath, trainNet} from '../train/train-net.js'
import type {CombineRequest, Executor} from './executor.js'
import type {CombineOutput} from './jobs.js'
import {combinedPosteriorsPath} from './paths.js'

export interface RealExecutorOptions {
  /** let train/eval draw their own progress bars (a terminal) */
  progressBars: boolean
}

export function realExecutor(opts: RealExecutorOptions): Executor {
  // One listing of the data folder serves every evaluation.
  const indexes = new Map<string, Promise<ImageFolderIndex>>()
  const indexOf = (root: string) => {
    let p = indexes.get(root)
    if (p === undefined) indexes.set(root, (p = indexImageFolder(root)))
    return p
  }
  return {
    async train(job, ctx) {
      // A damaged checkpoint of this job would be resumed from (or returned as finished).
      const problem = await setAsideIfCorrupt(checkpointPath(job.outDir))
      if (problem !== undefined) ctx.onNote?.(`${problem}; training this net from the start`)
      const result = await trainNet(job, {
        quiet: !opts.progressBars,
        signal: ctx.signal,
        onWarning: (line) => ctx.onNote?.(line),
        onEpoch: (m) => {
          ctx.onEpoch?.(m)
          ctx.onProgress?.(m.epoch / job.maxEpochs, `epoch ${m.epoch}/${job.maxEpochs} minival top-1 ${m.valTop1Err.toFixed(1)}%`)
        },
      })
      return result
    },
    async evaluate(req, ctx) {
      await mkdir(req.outDir, {recursive: true})
      const r = await evaluateCheckpoint({
        checkpoint: req.checkpoint,
        dataRoot: req.dataRoot,
        technique: req.technique,
        scale: req.scale,
        out: path.join(req.outDir, `${req.technique}-Q${req.scale}.posteriors`),
        batchSize: req.batchSize,
        maxImages: req.maxImages,
        precision: req.precision,
        index: await indexOf(req.dataRoot),
        progressBar: opts.progressBars,
        onProgress: (p) => ctx.onProgress?.(p.total > 0 ? p.done / p.total : 0, `${p.done}/${p.total} images`),
      })
      return {posteriors: r.posteriors, n: r.n, skipped: r.skipped, top1Err: r.top1Err, top5Err: r.top5Err, top1Ci: r.top1Ci, top5Ci: r.top5Ci, imgPerS: r.imgPerS}
    },
    checkCheckpoint: setAsideIfCorrupt,
    combine: combinePosteriors,
  }
}

/**
 * A combination job: average within a net (over Q and techniques), then over nets
 * (fusion), so every net weighs the same whatever its number of evaluations.
 */
export async function combinePosteriors(req: CombineRequest): Promise<CombineOutput> {
  await mkdir(req.outDir, {recursive: true})
  const perNet = []
  for (const group of req.groups) perNet.push(await averagePosteriors(group))
  const combined = perNet.length === 1 ? perNet[0] : await averagePosteriors(perNet)
  const file = combinedPosteriorsPath(req.outDir)
  await writePosteriors(file, combined)
  const e = errorsFromPosteriors(combined)
  return {n: e.n, skipped: e.skipped, top1Err: e.top1Err, top5Err: e.top5Err, top1Ci: e.top1Ci, top5Ci: e.top5Ci, posteriors: file}
}
