// Evaluation images/s (src/eval's evaluateNet with the real image loader): dense and
// multi-crop, at one Q and at three Qs (multi-scale = three passes over the images),
// through the same forward as evaluateCheckpoint (graph runs on native TensorFlow).
import path from 'node:path'
import {computeDtype, type Precision} from '../backend/precision.js'
import {loadEvalImage} from '../data/eval-image.js'
import type {ImageFolderIndex} from '../data/image-folder.js'
import type {DatasetStats} from '../data/stats.js'
import {evaluateNet, type EvalSample} from '../eval/index.js'
import type {SingleTechnique} from '../eval/types.js'
import {fastForward, type VggNet} from '../models/index.js'

export interface EvalSpeed {
  technique: SingleTechnique
  scales: number[]
  images: number
  /** images / total wall time over all scales (decoding overlapped, as in `eval`) */
  imgPerS: number
  wallMs: number
  perScale: {scale: number; imgPerS: number; wallMs: number}[]
  /** what the forward computed in (absent before precision existed: fp32) */
  precision?: Precision
}

export function evalSamples(index: ImageFolderIndex, n: number): EvalSample[] {
  // Spread over classes: every k-th val image, so one class's image sizes do not dominate.
  const step = Math.max(1, Math.floor(index.val.length / n))
  const picked = index.val.filter((_, i) => i % step === 0).slice(0, n)
  return picked.map((s) => ({id: path.relative(index.root, s.path), path: s.path, label: s.label}))
}

export async function measureEval(
  net: VggNet,
  index: ImageFolderIndex,
  stats: DatasetStats,
  opts: {technique: SingleTechnique; scales: number[]; images: number; warmupImages: number; batchSize: number; precision?: Precision},
): Promise<EvalSpeed> {
  const load = (p: string, q: number) => loadEvalImage(p, q, stats)
  // the forward evaluateCheckpoint uses: graph runs on native TensorFlow
  const precision = opts.precision ?? 'fp32'
  const forward = fastForward(net, computeDtype(precision))
  const run = (samples: EvalSample[], scale: number) =>
    evaluateNet({net: forward, samples, classes: index.classes, technique: opts.technique, scale, load, limits: {batchSize: opts.batchSize}})
  try {
    const samples = evalSamples(index, opts.images)
    // Warm-up: first calls at each input size initialise native kernels.
    const warm = samples.slice(0, opts.warmupImages)
    for (const q of opts.scales) if (warm.length > 0) await run(warm, q)
    const perScale: EvalSpeed['perScale'] = []
    for (const q of opts.scales) {
      const r = await run(samples, q)
      perScale.push({scale: q, imgPerS: r.imgPerS, wallMs: r.wallMs})
    }
    const wallMs = perScale.reduce((s, p) => s + p.wallMs, 0)
    return {technique: opts.technique, scales: opts.scales, images: samples.length, imgPerS: (1000 * samples.length) / wallMs, wallMs, perScale, precision}
  } finally {
    forward.dispose()
  }
}
