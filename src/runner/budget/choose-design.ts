// `plan --budget`: the design (k seeds per net, n val images) that fits the budget and
// gives the most claims 80% power at the paper's effect sizes; ties go to the clearly
// larger summed power, then to more seeds and images (the budget is spent either way). Power is power.ts's designPower (the
// verdict's own intervals: Student's t at k - 1 degrees of freedom for k >= 2, net A's
// probe for k = 1). More budget never lowers the result: every design that fit a
// smaller budget still fits.
import {MAX_SEEDS_PER_NET} from '../../experiments/schema.js'
import {designPower, TARGET_POWER} from '../../report/power.js'
import type {CostModel} from './design-cost.js'
import {BudgetError} from './duration.js'
import type {NoiseModel} from './noise-source.js'
import {formatDuration} from '../plan.js'

export interface ClaimDesignPower {
  id: string
  text: string
  paperEffect: number
  se: number
  dof: number
  power: number
}

export interface Design {
  seeds: number
  valImages: number
  seconds: number
  claims: ClaimDesignPower[]
  /** claims with at least 80% power */
  powered: number
  /** summed power over the claims */
  powerSum: number
}

/** Val image counts worth trying: 1, 2, 5 x 10^j below the dataset's count, the profile's own cap, and all. */
export function imageCandidates(valImages: number, profileCap?: number): number[] {
  const out = new Set<number>([valImages])
  if (profileCap !== undefined && profileCap < valImages) out.add(profileCap)
  for (let p = 100; p < valImages; p *= 10) for (const m of [1, 2, 5]) if (m * p < valImages) out.add(m * p)
  return [...out].sort((a, b) => a - b)
}

export function evaluateDesign(noise: NoiseModel, k: number, n: number, seconds: number): Design {
  const claims = noise.claims.map((c) => {
    const model = k === 1 ? c.probe! : c.own
    const p = designPower(c.paperEffect, model, k, n, k === 1 ? noise.probeDof! : k - 1)
    return {id: c.id, text: c.text, paperEffect: c.paperEffect, se: p.se, dof: p.dof, power: p.power}
  })
  return {seeds: k, valImages: n, seconds, claims, powered: claims.filter((c) => c.power >= TARGET_POWER).length, powerSum: claims.reduce((a, c) => a + c.power, 0)}
}

/**
 * a beats b: more claims at 80%, else clearly more summed power (half a percent per
 * claim; below that the difference is the t quantile's, not the design's), else more
 * seeds, more images, less time.
 */
function better(a: Design, b: Design): boolean {
  if (a.powered !== b.powered) return a.powered > b.powered
  if (Math.abs(a.powerSum - b.powerSum) > 0.005 * a.claims.length) return a.powerSum > b.powerSum
  if (a.seeds !== b.seeds) return a.seeds > b.seeds
  if (a.valImages !== b.valImages) return a.valImages > b.valImages
  return a.seconds < b.seconds
}

export interface Choice {
  best: Design
  /** the best design for each k that fits (k ascending) */
  perSeeds: Design[]
}

/** The best design within `budgetSeconds`; one line (BudgetError) when not even the cheapest fits. */
export function chooseDesign(budgetSeconds: number, cost: CostModel, noise: NoiseModel, images: number[]): Choice {
  const kFrom = noise.probeDof !== undefined ? 1 : 2
  const byK = new Map<number, Design>()
  let cheapest = Number.POSITIVE_INFINITY
  for (const n of images) {
    for (let k = kFrom; k <= MAX_SEEDS_PER_NET; k++) {
      const seconds = cost.seconds(k, n)
      cheapest = Math.min(cheapest, seconds)
      // Cost grows with k past k = 2 (k = 1 adds A's probe, so may cost about as much as 2).
      if (seconds > budgetSeconds) {
        if (k >= 2) break
        continue
      }
      const d = evaluateDesign(noise, k, n, seconds)
      const held = byK.get(k)
      if (held === undefined || better(d, held)) byK.set(k, d)
    }
  }
  const perSeeds = [...byK.values()].sort((a, b) => a.seeds - b.seeds)
  if (perSeeds.length === 0) {
    const what = kFrom === 1 ? 'one seed of every net' : 'two seeds of every net (the profile has no seedNoise, so one seed could not measure its training-run noise)'
    throw new BudgetError(`budget ${formatDuration(budgetSeconds)} is below ${what}: the cheapest design takes about ${formatDuration(cheapest)} here`)
  }
  const best = perSeeds.reduce((a, b) => (better(b, a) ? b : a))
  return {best, perSeeds}
}
