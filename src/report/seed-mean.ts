// A row's error over k seeds per net: the mean of its k nets' errors, each net scored
// alone (a seed average is not an ensemble). Its 95% interval adds, in quadrature, the
// image sample (the seeds' mean Wilson half-width, as 1.96 standard errors) and the
// training runs (the seeds' SD / sqrt(k), k - 1 degrees of freedom), at Student's t with
// Welch-Satterthwaite degrees of freedom. It is for reading a table; it errs wide: the
// part of the per-image noise that differs between seeds is in both terms. Claims do not
// use it: they pair seed i with seed i image by image (seed-paired.ts).
import {Z95} from '../eval/wilson.js'
import type {ReproducedErrors} from './row-result.js'
import type {SeedRowResult} from '../experiments/types.js'
import {critical95, welchDof} from './distributions.js'

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

/** Sample standard deviation (n - 1); 0 for one value. */
export function sampleSd(xs: readonly number[]): number {
  if (xs.length < 2) return 0
  const m = mean(xs)
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1))
}

function meanWithInterval(errs: number[], cis: [number, number][]): {err: number; ci: [number, number]} {
  const k = errs.length
  const err = mean(errs)
  const seImage = mean(cis.map(([lo, hi]) => (hi - lo) / 2 / Z95))
  const seSeed = sampleSd(errs) / Math.sqrt(k)
  const half = critical95(welchDof(seImage, seSeed, k - 1)) * Math.hypot(seImage, seSeed)
  return {err, ci: [Math.max(0, err - half), Math.min(100, err + half)]}
}

/** The row's numbers from its seeds (all finished); n is the fewest images any seed scored. */
export function seedMeanErrors(seeds: readonly SeedRowResult[]): ReproducedErrors {
  if (seeds.length === 0) throw new Error('seedMeanErrors: no seeds')
  const top1 = meanWithInterval(seeds.map((s) => s.top1Err), seeds.map((s) => s.top1Ci))
  const top5 = meanWithInterval(seeds.map((s) => s.top5Err), seeds.map((s) => s.top5Ci))
  return {
    top1Err: top1.err,
    top5Err: top5.err,
    top1Ci: top1.ci,
    top5Ci: top5.ci,
    n: Math.min(...seeds.map((s) => s.n)),
    skipped: Math.max(...seeds.map((s) => s.skipped)),
  }
}
