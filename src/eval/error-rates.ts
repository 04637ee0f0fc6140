// Top-1 / top-5 error (percent) with 95% Wilson intervals from saved posteriors.
import {ranksOf} from './ranks.js'
import type {ErrorSummary, Posteriors} from './types.js'
import {wilsonPercent} from './wilson.js'

/** Errors over the evaluated images only; skipped (corrupt) images are listed, not counted. */
export function errorsFromPosteriors(p: Posteriors): ErrorSummary {
  const ranks = ranksOf(p.data, p.labels, p.classes.length)
  let top1 = 0
  let top5 = 0
  for (const r of ranks) {
    if (r >= 1) top1++
    if (r >= 5) top5++
  }
  const n = p.n
  const pct = (e: number) => (n === 0 ? Number.NaN : (100 * e) / n)
  const skipped = p.skipped.length
  return {
    n,
    skipped,
    top1Err: pct(top1),
    top5Err: pct(top5),
    top1Ci: wilsonPercent(top1, n),
    top5Ci: wilsonPercent(top5, n),
    skippedImages: p.skipped,
    basis:
      skipped === 0
        ? `all ${n} images evaluated`
        : `errors over the ${n} evaluated images; ${skipped} unreadable image${skipped === 1 ? '' : 's'} skipped and not counted`,
  }
}
