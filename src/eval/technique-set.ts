// A (technique, Q set) evaluation as the paper reports it: one posteriors file per
// (single technique, Q), then their equal-weight average (multi-scale 4.2,
// multi-crop & dense 4.3) written as one more file.
import {createHash} from 'node:crypto'
import path from 'node:path'
import {indexImageFolder} from '../data/image-folder.js'
import {averagePosteriors} from './average.js'
import {errorsFromPosteriors} from './error-rates.js'
import {evaluateCheckpoint, type EvaluateCheckpointOptions} from './evaluate-checkpoint.js'
import {writePosteriors} from './posteriors-file.js'
import type {ErrorSummary, EvalResult} from './types.js'
import {checkScales, checkTechnique, techniqueParts, type CombinedTechnique} from './validate.js'

export interface TechniqueSetOptions extends Omit<EvaluateCheckpointOptions, 'technique' | 'scale' | 'out'> {
  technique: string
  /** Q values in pixels of this run */
  scales: number[]
  /** crop of the checkpoint's net, for the Q >= crop check before any work */
  crop: number
  /** folder for the posteriors files */
  outDir: string
  /** called before each (technique, Q) run */
  onPart?: (technique: string, q: number, index: number, count: number) => void
}

export interface TechniqueSetResult extends ErrorSummary {
  technique: CombinedTechnique
  scales: number[]
  /** the combined posteriors file (the single part's file when there is one) */
  posteriors: string
  parts: EvalResult[]
}

/** runs/eval/<checkpoint stem>-<hash of checkpoint, data, cap>: reruns with other inputs never collide. */
export function defaultEvalDir(checkpoint: string, dataRoot: string, maxImages: number | undefined, runsDir: string, split = 'val'): string {
  const key = createHash('sha256')
    .update(`${path.resolve(checkpoint)}\n${path.resolve(dataRoot)}\n${maxImages ?? 'all'}${split === 'val' ? '' : `\n${split}`}`)
    .digest('hex')
    .slice(0, 10)
  const stem = path.basename(checkpoint).replace(/\.[^.]*$/, '')
  return path.join(runsDir, 'eval', `${stem}-${key}`)
}

export function posteriorsPath(outDir: string, technique: string, scales: number[]): string {
  return path.join(outDir, `${technique}-Q${scales.join(',')}.posteriors`)
}

export async function evaluateTechniqueSet(opts: TechniqueSetOptions): Promise<TechniqueSetResult> {
  const technique = checkTechnique(opts.technique)
  const scales = checkScales(opts.scales, opts.crop)
  const {technique: _t, scales: _s, crop: _c, outDir, onPart, ...common} = opts
  const jobs = techniqueParts(technique).flatMap((t) => scales.map((q) => ({t, q})))
  const index = common.index ?? (await indexImageFolder(common.dataRoot))
  const parts: EvalResult[] = []
  for (const [i, {t, q}] of jobs.entries()) {
    onPart?.(t, q, i, jobs.length)
    parts.push(await evaluateCheckpoint({...common, index, technique: t, scale: q, out: posteriorsPath(outDir, t, [q])}))
  }
  if (parts.length === 1) {
    const {posteriors, n, skipped, top1Err, top5Err, top1Ci, top5Ci, skippedImages, basis} = parts[0]
    return {technique, scales, posteriors, parts, n, skipped, top1Err, top5Err, top1Ci, top5Ci, skippedImages, basis}
  }
  const combined = await averagePosteriors(parts.map((p) => p.posteriors))
  const file = posteriorsPath(outDir, technique, scales)
  await writePosteriors(file, combined, common.dtype)
  return {technique, scales, posteriors: file, parts, ...errorsFromPosteriors(combined)}
}
