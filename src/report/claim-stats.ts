// The statistics behind a claim's verdict (the rule printed in every report):
//
// - One primary metric per claim (claims.yaml `primary`); the other is shown, never votes.
// - Each comparison's effect e is oriented so that e > 0 is the paper's way: for 'lower'
//   e = Δ = reference error - subject error; for 'not-lower' e = margin - Δ (the subject
//   improves by less than the claim's equivalence margin).
// - Noise: the paired per-image standard error (images scored by both rows) plus the
//   training-run noise measured from several seeds of one net, added in quadrature.
//   With k >= 2 seeds per net, each comparison measures both from its own seed-paired
//   per-image differences instead (seed-paired.ts: the seeds x images split, nothing
//   counted twice), and so does the pooled effect.
// - Intervals and p-values use Student's t with Welch-Satterthwaite degrees of freedom:
//   the training-run part is a standard deviation from few seeds (distributions.ts).
// - The claim holds when the pooled effect (the comparisons' mean, from the per-image mean
//   differences, so shared images and nets are accounted for) is above 0 beyond its 95%
//   interval and no comparison contradicts the paper after Holm's step-down correction
//   over the claim's comparisons (family-wise 5%, two-sided). It fails when a comparison
//   contradicts it so, or the pooled effect is below 0 beyond its interval. Otherwise the
//   data cannot tell: within noise.
import {critical95, studentCdf, welchDof} from './distributions.js'
import {perSeedSe, seedPairedNoise, type SeedComponents} from './seed-paired.js'

/** One comparison in the claim's orientation. Points are percentage points. */
export interface Effect {
  /** e in points (> 0: the paper's way) */
  effect: number
  /** standard error of e from the image sample (paired, or the rows' intervals when unpaired) */
  seSample: number
  /** standard error of e from training-run noise (0 when not measured) */
  seSeed: number
  /** degrees of freedom behind seSeed (seeds - 1); Infinity or absent: known */
  seedDof?: number
  /**
   * Per-image contributions x_j with e = offset + 100 * mean_j(x_j) (paired only):
   * x_j = orientation * (reference error_j - subject error_j), each in {-1, 0, 1}.
   */
  perImage?: Float64Array
  offset: number
  /**
   * k >= 2 seeds per net (seed-paired.ts): the effect of each seed's own pair of rows,
   * in points, oriented and offset like `effect` (whose mean they are).
   */
  perSeed?: number[]
  /** k >= 2 and paired: per seed, the oriented per-image contributions (as perImage) */
  perImageBySeed?: Float64Array[]
  /** k >= 2 and paired: the variance components behind seSeed and seSample */
  components?: SeedComponents
}

/** Two-sided 5%: one-sided tests at 2.5% each way. */
export const ALPHA_ONE_SIDED = 0.025

export function totalSe(e: Pick<Effect, 'seSample' | 'seSeed'>): number {
  return Math.sqrt(e.seSample ** 2 + e.seSeed ** 2)
}

/** Degrees of freedom of the effect's total standard error (Infinity: normal). */
export function effectDof(e: Pick<Effect, 'seSample' | 'seSeed' | 'seedDof'>): number {
  return welchDof(e.seSample, e.seSeed, e.seedDof ?? Number.POSITIVE_INFINITY)
}

/** effect +- t(0.975, dof) x se (the normal quantile at dof = Infinity). */
export function ci95(effect: number, se: number, dof = Number.POSITIVE_INFINITY): [number, number] {
  const c = critical95(dof)
  return [effect - c * se, effect + c * se]
}

/** One-sided p-value that the true effect is >= 0 (small when e is far below 0): the evidence against the claim. */
export function pAgainst(e: Effect): number {
  const se = totalSe(e)
  if (se === 0) return e.effect < 0 ? 0 : 1
  return studentCdf(e.effect / se, effectDof(e))
}

/**
 * Holm's step-down procedure: which hypotheses are rejected at family-wise level
 * `alpha`, and the adjusted p-values (monotone, capped at 1).
 */
export function holm(pValues: readonly number[], alpha: number): {rejected: boolean[]; adjusted: number[]} {
  const m = pValues.length
  const order = pValues.map((p, i) => ({p, i})).sort((a, b) => a.p - b.p)
  const adjusted = new Array<number>(m).fill(1)
  const rejected = new Array<boolean>(m).fill(false)
  let running = 0
  let stillRejecting = true
  order.forEach(({p, i}, k) => {
    running = Math.max(running, Math.min(1, (m - k) * p))
    adjusted[i] = running
    if (stillRejecting && p <= alpha / (m - k)) rejected[i] = true
    else stillRejecting = false
  })
  return {rejected, adjusted}
}

export interface Pooled {
  effect: number
  seSample: number
  seSeed: number
  /** degrees of freedom of the interval (Infinity: normal) */
  dof: number
  ci: [number, number]
  /** 'per-image': from the per-image mean over comparisons; 'bound': every comparison unpaired or mixed, mean of the standard errors (perfect correlation, the largest possible) */
  basis: 'per-image' | 'bound'
  /** k >= 2 seeds per net: the seeds the training-run part was measured on (the per-seed mean over comparisons) */
  seeds?: number
  /** k >= 2 and per-image: the pooled effect's variance components (power projection) */
  components?: SeedComponents
}

/**
 * The comparisons' mean effect. Its image-sample error comes from the per-image mean of
 * the comparisons' contributions when all are paired over the same images; the seed part
 * is the mean of the comparisons' seed errors (the bound for perfectly correlated
 * training noise: comparisons share nets, so they are not independent).
 */
export function poolEffects(effects: readonly Effect[]): Pooled {
  const m = effects.length
  if (m === 0) throw new Error('poolEffects: no comparisons')
  const k = effects[0].perSeed?.length ?? 0
  if (k >= 2 && effects.every((e) => e.perSeed?.length === k)) return poolOverSeeds(effects, k)
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  const effect = mean(effects.map((e) => e.effect))
  const seSeed = mean(effects.map((e) => e.seSeed))
  const n = effects[0].perImage?.length ?? 0
  let seSample: number
  let basis: Pooled['basis']
  if (n >= 2 && effects.every((e) => e.perImage !== undefined && e.perImage.length === n)) {
    const x = new Float64Array(n)
    for (const e of effects) for (let j = 0; j < n; j++) x[j] += e.perImage![j] / m
    let s = 0
    for (let j = 0; j < n; j++) s += x[j]
    const xm = s / n
    let v = 0
    for (let j = 0; j < n; j++) v += (x[j] - xm) ** 2
    seSample = 100 * Math.sqrt(v / (n - 1) / n)
    basis = 'per-image'
  } else {
    seSample = mean(effects.map((e) => e.seSample))
    basis = 'bound'
  }
  // Every comparison's seed part comes from the same seed runs: one estimate, one dof.
  const dof = effectDof({seSample, seSeed, seedDof: Math.min(...effects.map((e) => e.seedDof ?? Number.POSITIVE_INFINITY))})
  return {effect, seSample, seSeed, dof, ci: ci95(effect, Math.sqrt(seSample ** 2 + seSeed ** 2), dof), basis}
}

/**
 * k >= 2 seeds per net: the comparisons' mean effect per seed and image is itself a
 * seeds x images table, so its noise comes from the same two-way split as one
 * comparison's (seed-paired.ts): the training-run part from the k per-seed means over
 * comparisons (shared nets and their correlations included as measured, not bounded),
 * the image part from the variance all seeds share. Without per-image data for every
 * comparison, the image part is the mean of their image errors (the bound).
 */
function poolOverSeeds(effects: readonly Effect[], k: number): Pooled {
  const m = effects.length
  const effect = effects.reduce((a, e) => a + e.effect, 0) / m
  const n = effects[0].perImageBySeed?.[0]?.length ?? 0
  let seSample: number
  let seSeed: number
  let components: SeedComponents | undefined
  let basis: Pooled['basis']
  if (n >= 2 && effects.every((e) => e.perImageBySeed?.length === k && e.perImageBySeed.every((x) => x.length === n))) {
    const y = Array.from({length: k}, (_, i) => {
      const row = new Float64Array(n)
      for (const e of effects) for (let j = 0; j < n; j++) row[j] += e.perImageBySeed![i][j] / m
      return row
    })
    const noise = seedPairedNoise(y)
    ;({seSample, seSeed, components} = noise)
    basis = 'per-image'
  } else {
    seSeed = perSeedSe(Array.from({length: k}, (_, i) => effects.reduce((a, e) => a + e.perSeed![i], 0) / m))
    seSample = effects.reduce((a, e) => a + e.seSample, 0) / m
    basis = 'bound'
  }
  const dof = effectDof({seSample, seSeed, seedDof: k - 1})
  return {effect, seSample, seSeed, dof, ci: ci95(effect, Math.hypot(seSample, seSeed), dof), basis, seeds: k, ...(components ? {components} : {})}
}

export type Verdict = 'holds' | 'fails' | 'within noise'

export interface ClaimStats {
  verdict: Verdict
  pooled: Pooled
  /** per comparison, in input order */
  pAgainst: number[]
  holmAdjusted: number[]
  contradicts: boolean[]
}

export function claimStats(effects: readonly Effect[], alpha = ALPHA_ONE_SIDED): ClaimStats {
  const pooled = poolEffects(effects)
  const p = effects.map(pAgainst)
  const {rejected, adjusted} = holm(p, alpha)
  let verdict: Verdict = 'within noise'
  if (rejected.some(Boolean) || pooled.ci[1] < 0) verdict = 'fails'
  else if (pooled.ci[0] > 0) verdict = 'holds'
  return {verdict, pooled, pAgainst: p, holmAdjusted: adjusted, contradicts: rejected}
}
