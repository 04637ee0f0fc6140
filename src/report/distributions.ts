// The normal and Student's t distributions of the verdict rule. Student's t is for intervals whose noise comes partly from a standard deviation
// estimated on few seeds [issue 10]: with net A's seed SD measured on 3 seeds (2 degrees
// of freedom), a normal 95% interval would be far too narrow (t = 4.30, not 1.96).
// The degrees of freedom of a sum of variance estimates come from Welch-Satterthwaite.
// Distribution functions: stdlib (well-kept, typed, accurate), not hand-written.
import tCdf from '@stdlib/stats-base-dists-t-cdf'
import tQuantile from '@stdlib/stats-base-dists-t-quantile'
import {Z95} from '../eval/wilson.js'

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 on erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * x)
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
  const erf = 1 - poly * Math.exp(-x * x)
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf)
}

/**
 * Degrees of freedom of seSample^2 + seSeed^2 where seSeed comes from `seedDof` degrees
 * of freedom and seSample is treated as known (hundreds of images): Infinity when the
 * seed part is absent or known.
 */
export function welchDof(seSample: number, seSeed: number, seedDof: number): number {
  const a = seSample ** 2
  const b = seSeed ** 2
  if (b === 0 || !Number.isFinite(seedDof)) return Number.POSITIVE_INFINITY
  return (a + b) ** 2 / (b ** 2 / seedDof)
}

/** Two-sided 95% critical value at `dof` (the normal one at Infinity). */
export function critical95(dof: number): number {
  return Number.isFinite(dof) ? tQuantile(0.975, dof) : Z95
}

/** P(T <= x) for Student's t at `dof` (the normal CDF at Infinity). */
export function studentCdf(x: number, dof: number): number {
  return Number.isFinite(dof) ? tCdf(x, dof) : normalCdf(x)
}
