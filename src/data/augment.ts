// Per-sample augmentation draws. Pure functions of (seed, epoch, position), made on the
// main thread, so workers only execute them and timing cannot change a batch.
import type {DatasetStats} from './stats.js'
import {hashKey, normal, uniformInt, uniformRng} from '../util/prng.js'

export interface AugmentOptions {
  scaleMin: number
  scaleMax: number
  /** std of the PCA colour-shift coefficients (AlexNet: 0.1); 0 disables it */
  colorShiftStd: number
}

/** Everything a worker needs to produce one training crop. */
export interface AugmentDraw {
  /** training scale: shorter side after isotropic rescale */
  s: number
  /** crop position as fractions in [0, 1) of the free range (the image size is only known after decoding) */
  ux: number
  uy: number
  flip: boolean
  /** added to each 0..255 pixel: the PCA colour shift minus the mean RGB */
  add: [number, number, number]
}

const AUGMENT_STREAM = 0xa06

export function drawAugment(seed: number, epoch: number, position: number, opts: AugmentOptions, stats: DatasetStats): AugmentDraw {
  const next = uniformRng(hashKey(seed, AUGMENT_STREAM, epoch, position))
  const s = uniformInt(next, opts.scaleMin, opts.scaleMax)
  const ux = next()
  const uy = next()
  const flip = next() < 0.5
  // AlexNet lighting: shift = sum_k eigvec[k] * (alpha_k * eigval[k]), alpha_k ~ N(0, std).
  // eigval is on the scale that makes this a shift in 0..255 units (see DatasetStats).
  const shift = [0, 0, 0]
  for (let k = 0; k < stats.eigval.length; k++) {
    const alpha = opts.colorShiftStd === 0 ? 0 : normal(next) * opts.colorShiftStd
    for (let c = 0; c < 3; c++) shift[c] += stats.eigvec[k][c] * alpha * stats.eigval[k]
  }
  const m = stats.meanRgb
  return {s, ux, uy, flip, add: [shift[0] - m[0], shift[1] - m[1], shift[2] - m[2]]}
}
