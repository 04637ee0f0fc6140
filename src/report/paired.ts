// The paired rule for one claimed comparison: both rows are scored on the same
// validation images, so compare them image by image instead of through their two
// independent intervals (comparison.ts). Per image, d_i = e_ref,i - e_subj,i with
// e = 1 for an error: +1 where only the subject is right, -1 where only the reference
// is, 0 where they agree. The images both get right (or both wrong) carry no noise,
// which is why this is far tighter than combining two Wilson intervals.
//
// 95% CI of the mean difference: mean ± 1.96·sd/√n (sd over the d_i, n - 1 in the
// denominator). McNemar view: with b images only the subject gets right and c only
// the reference, mean = (b - c)/n and sd² = (b + c - (b - c)²/n)/(n - 1), so
// (mean/se)² ≈ (b - c)²/(b + c - (b - c)²/n): the Wald form of McNemar's statistic
// (b - c)²/(b + c), to which it is close while the net difference is small against
// the discordant count. Like every normal approximation it is rough for a handful of
// discordant images; with the report's hundreds of images it is adequate.
import {Z95} from '../eval/wilson.js'

export interface PairedDifference {
  /** reference - subject error, percentage points (positive: subject better) */
  d: number
  /** 95% CI of d */
  ci: [number, number]
  /** images compared */
  n: number
  /** images only the subject gets right */
  better: number
  /** images only the reference gets right */
  worse: number
}

/** `subject` and `reference`: per-image errors (1 = error) over the same images in the same order. */
export function pairedDifference(subject: Uint8Array, reference: Uint8Array): PairedDifference {
  const n = subject.length
  if (reference.length !== n) throw new Error(`pairedDifference: ${n} vs ${reference.length} images`)
  if (n < 2) throw new Error(`pairedDifference: needs at least 2 images, got ${n}`)
  let better = 0
  let worse = 0
  for (let i = 0; i < n; i++) {
    if (reference[i] > subject[i]) better++
    else if (reference[i] < subject[i]) worse++
  }
  const mean = (better - worse) / n
  // sum of d_i² is the discordant count; max(0, ..) guards round-off when all d_i are equal
  const variance = Math.max(0, (better + worse - n * mean * mean) / (n - 1))
  const half = Z95 * Math.sqrt(variance / n)
  return {d: 100 * mean, ci: [100 * (mean - half), 100 * (mean + half)], n, better, worse}
}
