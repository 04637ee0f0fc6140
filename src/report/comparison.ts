// The noise rule for one claimed comparison of two reproduced error rates.
//
// d = reference error - subject error (positive: the subject is better). Each error has a
// 95% CI; its half-width h is (hi - lo) / 2. The noise level is sqrt(h_s^2 + h_r^2), the
// 95% half-width of a difference of two independent estimates. Both rows are evaluated on
// the same validation images, so their errors are positively correlated and the true
// noise is smaller: the rule errs towards "within noise", never towards a false verdict.
// It is the fallback: claims use the paired rule (paired.ts) when both rows' posterior
// files cover the same images.

export type ComparisonVerdict = 'holds' | 'fails' | 'within noise'

export interface Estimate {
  err: number
  ci: [number, number]
}

export interface ComparisonOutcome {
  verdict: ComparisonVerdict
  /** reference - subject, in error percentage points */
  d: number
  noise: number
}

export function noiseLevel(a: Estimate, b: Estimate): number {
  const ha = (a.ci[1] - a.ci[0]) / 2
  const hb = (b.ci[1] - b.ci[0]) / 2
  return Math.sqrt(ha * ha + hb * hb)
}

/**
 * 'lower': the subject should have a lower error. Holds when d > noise, fails when
 * d < -noise, otherwise within noise.
 * 'not-lower': the subject should not improve (LRN on A). Holds when d <= 0 (no
 * improvement seen), within noise when it looks better but by less than the noise,
 * fails when it is better beyond the noise.
 */
export function compare(subject: Estimate, reference: Estimate, expect: 'lower' | 'not-lower'): ComparisonOutcome {
  const d = reference.err - subject.err
  const noise = noiseLevel(subject, reference)
  let verdict: ComparisonVerdict
  if (expect === 'lower') verdict = d > noise ? 'holds' : d < -noise ? 'fails' : 'within noise'
  else verdict = d <= 0 ? 'holds' : d > noise ? 'fails' : 'within noise'
  return {verdict, d, noise}
}
