// What a run could detect [issue 10]: a "within noise" verdict means little until one
// knows whether the run could have seen the paper's effect at all. For each claim this
// projects, from the run's own noise, the power to detect an effect as large as the
// paper's (in points, pooled like the verdict) and the design that would reach 80%:
// k independently trained seeds of every net (each row averaging its k nets), scored on
// n validation images. Assumptions, printed with the numbers:
// - the true effect equals the paper's, in percentage points;
// - the image-sample standard error scales as 1/sqrt(n), the training-run one as 1/sqrt(k);
// - of the per-image (paired) variance of a comparison of two nets, the share that two
//   seeds of one net show as well (seed-discordance.ts) is training-run noise and also
//   shrinks as 1/k; the rest is a floor set by the images (all of it when not measured);
// - the pooled test alone decides (a Holm contradiction is rare when the true effect is
//   the paper's way), two-sided 5%: at this run's Student t for "power now", normal for
//   the larger designs (their seed noise would rest on many seeds).
// The same model projects Table 3's row order: each row's error is the paper's plus
// independent noise (training runs, and the part of the image-sample noise that does not
// cancel between two rows scored on the same images), and Kendall's tau-b is simulated.
import type {ClaimResult} from './claims.js'
import {critical95, normalCdf, welchDof} from './distributions.js'
import type {SeedComponents} from './seed-paired.js'
import {Z95} from '../eval/wilson.js'
import {kendallTauB} from './ranking.js'
import type {RowResult} from './row-result.js'
import {normal, uniformRng} from '../util/prng.js'

/** One-sided z for 80% power. */
export const Z80 = 0.8416212335729143
export const TARGET_POWER = 0.8
/** The tau a "same order as the paper" check asks for (issue 10's bar). */
export const TAU_TARGET = 0.6
/** The ranking search stops here: beyond it the order is out of reach in practice. */
export const MAX_SEEDS = 10_000

/** The two standard errors of an effect at the run's design (n0 images, 1 seed per net). */
export interface NoiseAt {
  seSample: number
  seSeed: number
  /** images behind seSample */
  n: number
  /** share of seSample^2 that is training-run noise (shrinks with seeds): 0 to 1, 0 when unknown */
  seedShare: number
}

/** seSample^2 at n images, split into the part that stays and the part that seeds average away. */
function sampleVariance(noise: NoiseAt, n: number): {fixed: number; perSeed: number} {
  const v = (noise.seSample ** 2 * noise.n) / n
  return {fixed: v * (1 - noise.seedShare), perSeed: v * noise.seedShare}
}

/** Standard error at k seeds per net and n images. */
export function seAt(noise: NoiseAt, k: number, n: number): number {
  const v = sampleVariance(noise, n)
  return Math.sqrt(v.fixed + (v.perSeed + noise.seSeed ** 2) / k)
}

/**
 * k >= 2 seeds per net measure the seeds x images components of an effect
 * (seed-paired.ts); as the one-seed noise of this model: the runs' part s_a, all
 * per-image variance (s_b^2 + s_r^2) / n at the run's n images, of which s_r^2 averages
 * away with seeds. seAt(noiseAtFromComponents(c, n), k, n) is then the run's own
 * standard error.
 */
export function noiseAtFromComponents(c: SeedComponents, n: number): NoiseAt {
  const perImage = c.image + c.residual
  return {seSample: Math.sqrt(perImage / n), seSeed: Math.sqrt(c.seed), n, seedShare: perImage > 0 ? c.residual / perImage : 0}
}

/**
 * A design's standard error, degrees of freedom and power for a true effect delta, as
 * its verdict would judge it: with k >= 2 the training-run part (the runs, and the
 * per-image part seeds average away) rests on k - 1 degrees of freedom; with k = 1 it is
 * net A's probe (`seedDof`) and every per-image part counts as the image sample.
 */
export function designPower(delta: number, noise: NoiseAt, k: number, n: number, seedDof: number): {se: number; dof: number; power: number} {
  const v = sampleVariance(noise, n)
  const runs = (v.perSeed + noise.seSeed ** 2) / k
  const se = Math.sqrt(v.fixed + runs)
  const dof = k === 1 ? welchDof(Math.sqrt(v.fixed + v.perSeed), noise.seSeed, seedDof) : welchDof(Math.sqrt(v.fixed), Math.sqrt(runs), k - 1)
  return {se, dof, power: powerAt(delta, se, critical95(dof))}
}

/**
 * Probability that the 95% interval of the effect lies above 0 when the true effect is
 * delta; `critical` is the interval's quantile (the run's Student t, or the normal one
 * for a design with many seeds).
 */
export function powerAt(delta: number, se: number, critical = Z95): number {
  if (se === 0) return delta > 0 ? 1 : 0
  return normalCdf(delta / se - critical)
}

/** The smallest true effect found with 80% power at standard error se. */
export function detectableEffect(se: number, critical = Z95): number {
  return (critical + Z80) * se
}

/**
 * Fewest seeds per net for 80% power at n images: 'never' when the image sample alone
 * is already too noisy (no number of seeds helps) or the paper's effect is not positive.
 */
export function seedsNeeded(delta: number, noise: NoiseAt, n: number): number | 'never' {
  if (!(delta > 0)) return 'never'
  const target = (delta / (Z95 + Z80)) ** 2
  const v = sampleVariance(noise, n)
  const room = target - v.fixed
  if (room <= 0) return 'never'
  return Math.max(1, Math.ceil((v.perSeed + noise.seSeed ** 2) / room - 1e-9))
}

export interface ClaimPower {
  claimId: string
  text: string
  /** the paper's pooled effect, the paper's way, in points (margin - Δ for "does not improve") */
  paperEffect: number
  noise: NoiseAt
  /** the verdict's pooled standard errors at the run's design: image sample, training runs */
  seNow: {sample: number; runs: number}
  /** seeds per net of the run */
  seeds: number
  /** at the run's design */
  se: number
  detectable: number
  power: number
  /** seeds per net for 80% power at the run's images, and at every val image */
  seedsNow: number | 'never'
  seedsAllImages: number | 'never'
}

/** The claim's pooled paper effect, oriented as its verdict orients the reproduced one. */
export function paperEffectOf(r: ClaimResult): number | undefined {
  const checks = r.checks.filter((c) => c.primary)
  if (checks.length === 0 || checks.some((c) => c.paperD === undefined || c.effect === undefined)) return undefined
  const oriented = checks.map((c) => (c.expect === 'lower' ? c.paperD! : (c.margin ?? 0) - c.paperD!))
  return oriented.reduce((a, b) => a + b, 0) / oriented.length
}

/**
 * Power per claim with a pooled result; `allImages` is the dataset's val set size.
 * `seedShare` applies to claims that compare separately trained nets (it was measured
 * on such comparisons); a claim about one net evaluated two ways keeps all of its
 * per-image noise fixed.
 */
export function claimPower(results: readonly ClaimResult[], allImages: number, seedShare = 0): ClaimPower[] {
  const out: ClaimPower[] = []
  for (const r of results) {
    const delta = paperEffectOf(r)
    const n = r.checks.find((c) => c.primary && c.n !== undefined)?.n?.[0]
    if (r.pooled === undefined || delta === undefined || n === undefined) continue
    const betweenNets = r.checks.filter((c) => c.primary).every((c) => c.noiseKind === 'between nets')
    // k >= 2 seeds: the run measured the components (or, unpaired, its runs' part at k seeds).
    const k = r.pooled.seeds ?? 1
    const noise: NoiseAt = r.pooled.components
      ? noiseAtFromComponents(r.pooled.components, n)
      : {seSample: r.pooled.seSample, seSeed: r.pooled.seSeed * Math.sqrt(k), n, seedShare: k === 1 && betweenNets ? seedShare : 0}
    const se = seAt(noise, k, n)
    // This run's own interval: Student's t at its dof; a design with many seeds would be normal.
    const critical = critical95(r.pooled.dof)
    out.push({
      claimId: r.claim.id,
      text: r.claim.text,
      paperEffect: delta,
      noise,
      seNow: {sample: r.pooled.seSample, runs: r.pooled.seSeed},
      seeds: k,
      se,
      detectable: detectableEffect(se, critical),
      power: powerAt(delta, se, critical),
      seedsNow: seedsNeeded(delta, noise, n),
      seedsAllImages: seedsNeeded(delta, noise, Math.max(n, allImages)),
    })
  }
  return out
}

/**
 * Probability that Kendall's tau-b between the paper's errors and noisy reproductions
 * reaches `target`, each row's error being the paper's plus N(0, rowSd^2), over `sims`
 * seeded simulations (deterministic).
 */
export function tauProbability(paper: readonly number[], rowSd: number, target = TAU_TARGET, sims = 4000, seed = 1): number {
  const next = uniformRng(seed)
  let hits = 0
  const y = new Array<number>(paper.length)
  for (let s = 0; s < sims; s++) {
    for (let i = 0; i < paper.length; i++) y[i] = paper[i] + rowSd * normal(next)
    if (kendallTauB(paper, y) >= target) hits++
  }
  return hits / sims
}

export interface RankingPower {
  rows: number
  /** per-row noise at the run's design: training runs, and image sample */
  seedSd: number
  sampleSd: number
  n: number
  probabilityNow: number
  seedsAllImages: number | 'never'
}

/**
 * Table 3's order: one separately trained net per row, so each row carries one net's
 * seed SD; the image-sample part is the paired standard error of a comparison of two
 * such rows over sqrt(2) (the part shared by both rows cancels in the order).
 */
export function rankingPower(rows: readonly RowResult[], seedSd: number, pairedSe: number, n: number, allImages: number, seedShare = 0, kNow = 1): RankingPower | undefined {
  const ok = rows.filter((r) => r.table === 'table3' && r.status === 'ok' && r.reproduced !== undefined)
  if (ok.length < 3) return undefined
  const paper = ok.map((r) => r.paper.top1)
  const sampleSd = pairedSe / Math.SQRT2
  const noise: NoiseAt = {seSample: sampleSd, seSeed: seedSd, n, seedShare}
  // k = Infinity leaves the images' fixed part alone.
  const sdAt = (k: number, images: number) => seAt(noise, k, images)
  const reaches = (k: number) => tauProbability(paper, sdAt(k, allImages)) >= TARGET_POWER
  let seeds: number | 'never' = 'never'
  if (tauProbability(paper, sdAt(Number.POSITIVE_INFINITY, allImages)) >= TARGET_POWER) {
    // Doubling, then bisection: the probability grows with k (less noise per row).
    let hi = 1
    while (!reaches(hi) && hi <= MAX_SEEDS) hi *= 2
    if (hi <= MAX_SEEDS) {
      let lo = Math.floor(hi / 2)
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2)
        if (reaches(mid)) hi = mid
        else lo = mid
      }
      seeds = hi
    }
  }
  return {rows: ok.length, seedSd, sampleSd, n, probabilityNow: tauProbability(paper, sdAt(kNow, n)), seedsAllImages: seeds}
}
