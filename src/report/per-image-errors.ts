// Per-image top-1 / top-5 errors of one posterior file, on the host. Claims compare
// two rows image by image (paired.ts); the report never starts a tensor backend, so
// the ranks are counted here with the same rule as src/eval/ranks.ts (which runs on
// the backend): rank = classes scoring higher than the true class, plus tied classes
// of lower index; a NaN score counts as -Infinity; a NaN (or out-of-range) true
// class is always an error. Top-k correct <=> rank < k.
import type {Posteriors} from '../eval/types.js'

export interface PerImageErrors {
  ids: string[]
  classes: string[]
  labels: Int32Array
  /** 1 where the true class is not the top score */
  top1: Uint8Array
  /** 1 where the true class is not among the five top scores */
  top5: Uint8Array
}

/** Rank of class `label` among `scores` (one image's row). */
export function trueClassRank(scores: Float32Array, label: number): number {
  const classes = scores.length
  if (!(label >= 0 && label < classes)) return classes
  const t = scores[label]
  if (Number.isNaN(t)) return classes
  let rank = 0
  for (let c = 0; c < classes; c++) {
    // NaN as -Infinity, exactly as ranks.ts does (it only matters for a -Infinity true score).
    const s = Number.isNaN(scores[c]) ? -Infinity : scores[c]
    if (s > t || (s === t && c < label)) rank++
  }
  return rank
}

export function perImageErrors(p: Posteriors): PerImageErrors {
  const k = p.classes.length
  const top1 = new Uint8Array(p.n)
  const top5 = new Uint8Array(p.n)
  for (let i = 0; i < p.n; i++) {
    const rank = trueClassRank(p.data.subarray(i * k, (i + 1) * k), p.labels[i])
    top1[i] = rank >= 1 ? 1 : 0
    top5[i] = rank >= 5 ? 1 : 0
  }
  return {ids: p.ids, classes: p.classes, labels: p.labels, top1, top5}
}

/** Error in percent over the images, as errorsFromPosteriors reports it. */
export function errorPercent(errors: Uint8Array): number {
  let e = 0
  for (const x of errors) e += x
  return errors.length === 0 ? Number.NaN : (100 * e) / errors.length
}

function sameList<T>(a: ArrayLike<T>, b: ArrayLike<T>): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Why two rows cannot be compared image by image, or undefined when they can. */
export function pairingProblem(a: PerImageErrors, b: PerImageErrors): string | undefined {
  if (!sameList(a.classes, b.classes)) return 'class lists differ'
  if (!sameList(a.ids, b.ids)) return `image lists differ (${a.ids.length} vs ${b.ids.length} images)`
  if (!sameList(a.labels, b.labels)) return 'labels differ'
  if (a.ids.length < 2) return 'fewer than 2 images'
  return undefined
}
