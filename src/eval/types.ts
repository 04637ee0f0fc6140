// Shapes shared by the evaluation modules (ARCHITECTURE.md, "eval/").
import type * as tf from '@tensorflow/tfjs-core'

/** What one evaluation run computes at one Q; combinations are averaged files. */
export type SingleTechnique = 'dense' | 'multi-crop'
export const SINGLE_TECHNIQUES: readonly SingleTechnique[] = ['dense', 'multi-crop']

/**
 * The part of VggNet (src/models) evaluation needs. Structural, so tests can use a
 * tiny stand-in and eval does not depend on how models/ lays out its files.
 */
export interface EvalNet {
  spec: {crop: number; numClasses: number; widthFactor: number}
  logits(x: tf.Tensor4D, opts: {training: boolean; dropoutSeed?: number}): tf.Tensor2D
  denseScoreMap(x: tf.Tensor4D): tf.Tensor4D
}

/** A val image that could not be evaluated (corrupt file), by id. */
export interface SkippedImage {
  id: string
  reason: string
}

/**
 * Per-image soft-max posteriors of one evaluation (or an average of several).
 * `data` is row-major [n, classes].
 */
export interface Posteriors {
  classes: string[]
  /** image ids: paths relative to the dataset root */
  ids: string[]
  labels: Int32Array
  data: Float32Array
  n: number
  /** 'dense', 'multi-crop', or for averaged files the '+'-joined distinct techniques */
  technique: string
  /** the Q values that went into these posteriors (one for a single run) */
  scales: number[]
  /** checkpoint paths that went into these posteriors (several = fusion) */
  checkpoints: string[]
  skipped: SkippedImage[]
  /** dataset identity (ImageFolderIndex.id) when known */
  datasetId?: string
  /** for averaged posteriors: the files (or labels) averaged, in order */
  sources?: string[]
  /** what the forward computed in ('fp32', 'bf16'; averages of both: 'bf16+fp32'); absent in files written before it was recorded */
  precision?: string
}

/** Top-1 / top-5 error in percent with 95% Wilson intervals, over `n` evaluated images. */
export interface ErrorNumbers {
  n: number
  skipped: number
  top1Err: number
  top5Err: number
  top1Ci: [number, number]
  top5Ci: [number, number]
}

/** ErrorNumbers plus which images were skipped and what the errors are computed over. */
export interface ErrorSummary extends ErrorNumbers {
  /** ids and reasons of skipped images (not counted in n or in the errors) */
  skippedImages: SkippedImage[]
  /** plain statement of what the errors are computed over */
  basis: string
}

/** ARCHITECTURE.md EvalResult, plus the skipped list and basis of ErrorSummary. */
export interface EvalResult extends ErrorSummary {
  posteriors: string
  imgPerS: number
  technique: SingleTechnique
  scale: number
  checkpoint: string
  wallMs: number
}

export interface EvalProgress {
  done: number
  total: number
  skipped: number
  imgPerS: number
}
