// evaluateCheckpoint (ARCHITECTURE.md): rebuild the net from a checkpoint, evaluate
// the val split at one Q with one technique, write the posteriors file, report errors.
import path from 'node:path'
import {computeDtype, type Precision} from '../backend/precision.js'
import {balancedSubset} from '../data/balanced-subset.js'
import {CorruptImageError} from '../data/errors.js'
import {loadEvalImage} from '../data/eval-image.js'
import {indexImageFolder, type ImageFolderIndex} from '../data/image-folder.js'
import {carveMinival} from '../data/minival.js'
import {datasetStats} from '../data/stats.js'
import {VggNet, fastForward} from '../models/index.js'
import {loadCheckpoint} from '../train/checkpoint.js'
import type {BatchLimits} from './batch-plan.js'
import type {DenseFit} from './dense.js'
import {errorsFromPosteriors} from './error-rates.js'
import {EvalInputError} from './errors.js'
import {evaluateNet, type EvalSample} from './evaluate-net.js'
import {writePosteriors, type PosteriorDtype} from './posteriors-file.js'
import {EvalProgressBar} from './progress-bar.js'
import type {EvalProgress, EvalResult} from './types.js'
import {checkScale, checkSingleTechnique} from './validate.js'

export interface EvaluateCheckpointOptions {
  checkpoint: string
  dataRoot: string
  technique: 'dense' | 'multi-crop'
  /** Q, in pixels of this run (already profile-scaled) */
  scale: number
  /** posteriors file to write */
  out: string
  /** crop x crop samples per forward call (default 64; larger inputs get proportionally fewer) */
  batchSize?: number
  /** activation memory cap per forward call in bytes (default 1 GiB) */
  memoryBytes?: number
  /** evaluate the first N val images (index order) */
  maxImages?: number
  onProgress?: (p: EvalProgress) => void
  /** TTY progress bar on stderr (default: when stderr is a TTY and no onProgress is given) */
  progressBar?: boolean
  /** storage precision of the posteriors file (default float32) */
  dtype?: PosteriorDtype
  /** an index of dataRoot built already (saves re-listing the folder per Q) */
  index?: ImageFolderIndex
  /**
   * 'minival': score the training images the checkpoint's run held out (protocol
   * ablations measure there, so choosing a protocol never looks at val/). Default 'val'.
   */
  split?: 'val' | 'minival'
  /** dense evaluation's fit to 32-pixel cells (protocol ablations; default DEFAULT_DENSE_FIT) */
  denseFit?: DenseFit
  /** what the forward computes in (default fp32); recorded in the posteriors file */
  precision?: Precision
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

export async function evaluateCheckpoint(opts: EvaluateCheckpointOptions): Promise<EvalResult> {
  const technique = checkSingleTechnique(opts.technique)
  const ckpt = await loadCheckpoint(opts.checkpoint)
  checkScale(opts.scale, ckpt.net.crop)
  const index = opts.index ?? (await indexImageFolder(opts.dataRoot))
  if (!sameList(ckpt.classes, index.classes)) {
    throw new EvalInputError(
      `${opts.checkpoint} was trained on ${ckpt.classes.length} classes that differ from the ${index.classes.length} classes of ${index.root}`,
    )
  }
  // The training set's mean (stored with the checkpoint) is what the net saw.
  const meanRgb = ckpt.meanRgb ?? (await datasetStats(index)).meanRgb
  // Classes in turn, so a capped set stays balanced (the index is sorted by class).
  const pool = opts.split === 'minival' ? carveMinival(index, ckpt.job.minivalImages).minival : index.val
  const val = balancedSubset(pool, opts.maxImages)
  const samples: EvalSample[] = val.map((s) => ({id: path.relative(index.root, s.path).split(path.sep).join('/'), path: s.path, label: s.label}))

  const net = new VggNet(ckpt.net, ckpt.weights)
  const precision = opts.precision ?? 'fp32'
  const forward = fastForward(net, computeDtype(precision)) // graph runs on native TensorFlow
  const bar = new EvalProgressBar(
    `${technique} Q=${opts.scale}`,
    samples.length,
    opts.progressBar ?? (process.stderr.isTTY === true && opts.onProgress === undefined),
  )
  const limits: Partial<BatchLimits> = {}
  if (opts.batchSize !== undefined) limits.batchSize = opts.batchSize
  if (opts.memoryBytes !== undefined) limits.memoryBytes = opts.memoryBytes
  let run
  try {
    run = await evaluateNet({
      net: forward,
      samples,
      classes: index.classes,
      technique,
      scale: opts.scale,
      load: (p, q) => loadEvalImage(p, q, {meanRgb}),
      isCorrupt: (e) => e instanceof CorruptImageError,
      denseFit: opts.denseFit,
      limits,
      onProgress: (p) => {
        bar.update(p)
        opts.onProgress?.(p)
      },
    })
  } finally {
    bar.stop()
    forward.dispose()
    net.dispose()
  }
  const posteriors = {...run.posteriors, checkpoints: [opts.checkpoint], datasetId: index.id, precision}
  await writePosteriors(opts.out, posteriors, opts.dtype)
  return {
    ...errorsFromPosteriors(posteriors),
    posteriors: opts.out,
    imgPerS: run.imgPerS,
    technique,
    scale: opts.scale,
    checkpoint: opts.checkpoint,
    wallMs: run.wallMs,
  }
}
