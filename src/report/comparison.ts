// The unpaired noise level of a claimed comparison of two reproduced error rates, the
// fallback when the rows' posterior files cannot be compared image by image (paired.ts).
//
// d = reference error - subject error (positive: the subject is better). Each error has a
// 95% CI; its half-width h is (hi - lo) / 2. The noise level is sqrt(h_s^2 + h_r^2), the
// 95% half-width of a difference of two independent estimates. Both rows are evaluated on
// the same validation images, so their errors are positively correlated and the true
// noise is smaller: the rule errs towards "within noise", never towards a false verdict.

export type ComparisonVerdict = 'holds' | 'fails' | 'within noise'

export interface Estimate {
  err: number
  ci: [number, number]
}

export function noiseLevel(a: Estimate, b: Estimate): number {
  const ha = (a.ci[1] - a.ci[0]) / 2
  const hb = (b.ci[1] - b.ci[0]) / 2
  return Math.sqrt(ha * ha + hb * hb)
}
