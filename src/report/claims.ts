// Verdicts for the paper's qualitative claims (experiments/claims.yaml), by the rule in
// claim-stats.ts: one primary metric, effects oriented the paper's way, per-image paired
// noise plus measured training-run noise, a pooled test over the claim's comparisons for
// "holds" and Holm-corrected comparisons for "fails". Rows whose posterior files cannot
// be paired fall back to their independent intervals (comparison.ts), conservatively.
import type {Claim, ClaimComparison} from '../experiments/types.js'
import {Z95} from '../eval/wilson.js'
import {ci95, claimStats, effectDof, totalSe, type Effect, type Pooled} from './claim-stats.js'
import {critical95} from './distributions.js'
import {noiseLevel, type ComparisonVerdict} from './comparison.js'
import {pairedDifference} from './paired.js'
import {pairingProblem} from './per-image-errors.js'
import type {PerImageByRow, PerSeedByRow, RowPerImage} from './per-image-load.js'
import {perSeedSe, seedPairedNoise} from './seed-paired.js'
import {welchDof} from './distributions.js'
import {rowRef, type RowResult} from './row-result.js'
import {isProbeNoise, type NoiseSource} from './training-noise.js'

export type {Claim}
export type ClaimVerdict = ComparisonVerdict | 'pending'
export type Metric = 'top1' | 'top5'

export interface CheckResult {
  subject: string
  reference: string
  expect: ClaimComparison['expect']
  metric: Metric
  /** the claim's primary metric: only these checks vote */
  primary: boolean
  /** holds: its own 95% interval is on the paper's side; fails: contradicts after Holm; else within noise */
  verdict: ClaimVerdict
  /** reference - subject error, percentage points (positive: subject better) */
  d?: number
  /** half-width of the 95% interval of d (image sample and training noise) */
  noise?: number
  /** 95% interval of d */
  ci?: [number, number]
  /** the effect in the paper's direction (d, or margin - d for 'not-lower'), with its 95% interval */
  effect?: number
  effectCi?: [number, number]
  /** 'not-lower' only: the equivalence margin in points */
  margin?: number
  /** standard errors of d: image sample, training runs */
  seSample?: number
  seSeed?: number
  /** which training noise applies: two separately trained nets, or one net evaluated two ways */
  noiseKind?: 'between nets' | 'same nets' | 'none'
  /** k >= 2 seeds per net: the training-run noise is this comparison's own, from its k seed pairs (seed-paired.ts) */
  ownSeeds?: number
  /** degrees of freedom of the interval (Welch-Satterthwaite; Infinity: normal) */
  dof?: number
  /** one-sided p-value against the paper's direction, and Holm-adjusted over the claim's comparisons */
  pAgainst?: number
  holmP?: number
  /** images behind the errors: [subject, reference] (equal when paired) */
  n?: [subject: number, reference: number]
  rule?: 'paired' | 'unpaired'
  unpairedReason?: string
  discordant?: {better: number; worse: number}
  /** the same difference in the paper's numbers */
  paperD?: number
  reason?: string
}

export interface ClaimResult {
  claim: Claim
  verdict: ClaimVerdict
  checks: CheckResult[]
  /** the primary metric's pooled effect (absent while pending) */
  pooled?: Pooled
}

export interface ClaimContext {
  perImage?: PerImageByRow
  /** k >= 2 seeds per net: each row's per-seed per-image errors */
  perSeedImages?: PerSeedByRow
  /** measured training-run noise, or why there is none (k >= 2 seeds per net: each comparison's own) */
  noise?: NoiseSource
}

function pendingReason(ref: string, row: RowResult | undefined): string | undefined {
  if (!row) return `${ref} is not in this run`
  if (row.status === 'failed') return `${ref} failed`
  if (row.status !== 'ok' || !row.reproduced) return `${ref} is pending`
  return undefined
}

/** Each member net's weight in a row: 1/members (a fusion averages its members' posteriors). */
function netWeights(r: RowResult): Map<string, number> {
  const w = new Map<string, number>()
  for (const n of r.nets) w.set(n, (w.get(n) ?? 0) + 1 / r.nets.length)
  return w
}

/**
 * How much training-run variance a comparison carries, in units of one net's seed
 * variance: each row's error moves with the average of its member nets' independent
 * seed noises, so the difference has variance sum over nets of (a_n - b_n)^2 (two
 * separately trained nets: 2; a two-net fusion against one of its members: 1/2; the
 * same nets evaluated two ways: 0, where the measured evaluation-difference noise
 * applies instead).
 */
export function seedVarianceFactor(a: RowResult, b: RowResult): number {
  const [wa, wb] = [netWeights(a), netWeights(b)]
  let f = 0
  for (const n of new Set([...wa.keys(), ...wb.keys()])) f += ((wa.get(n) ?? 0) - (wb.get(n) ?? 0)) ** 2
  return f < 1e-12 ? 0 : f
}

function seedSe(noise: ClaimContext['noise'], metric: Metric, factor: number): {se: number; kind: CheckResult['noiseKind']; dof: number} {
  if (!isProbeNoise(noise)) return {se: 0, kind: 'none', dof: Number.POSITIVE_INFINITY}
  // A standard deviation over `seeds` runs: seeds - 1 degrees of freedom.
  const dof = noise.seeds - 1
  return factor === 0 ? {se: noise.within[metric], kind: 'same nets', dof} : {se: Math.sqrt(factor) * noise.between[metric], kind: 'between nets', dof}
}

interface Measured {
  check: CheckResult
  effect: Effect
}

/** d and its image-sample error: paired when both rows' per-image errors line up, else from the intervals. */
function difference(c: ClaimComparison, metric: Metric, subj: RowResult, ref: RowResult, perImage: PerImageByRow | undefined) {
  const s = perImage?.get(c.subject)
  const r = perImage?.get(c.reference)
  let why = 'posterior files not loaded'
  if (s !== undefined && r !== undefined) {
    if ('unavailable' in s) why = `${c.subject}: ${s.unavailable}`
    else if ('unavailable' in r) why = `${c.reference}: ${r.unavailable}`
    else {
      const problem = pairingProblem(s, r)
      if (problem === undefined) {
        const p = pairedDifference(s[metric], r[metric])
        const perImage = new Float64Array(p.n)
        for (let j = 0; j < p.n; j++) perImage[j] = r[metric][j] - s[metric][j]
        return {d: p.d, seSample: (p.ci[1] - p.ci[0]) / 2 / Z95, n: [p.n, p.n] as [number, number], rule: 'paired' as const, perImage, discordant: {better: p.better, worse: p.worse}}
      }
      why = problem
    }
  }
  const pick = (row: RowResult) => {
    const x = row.reproduced!
    return metric === 'top1' ? {err: x.top1Err, ci: x.top1Ci} : {err: x.top5Err, ci: x.top5Ci}
  }
  const [a, b] = [pick(subj), pick(ref)]
  return {d: b.err - a.err, seSample: noiseLevel(a, b) / Z95, n: [subj.reproduced!.n, ref.reproduced!.n] as [number, number], rule: 'unpaired' as const, unpairedReason: why}
}

/**
 * k >= 2 seeds per net: seed i of the subject against seed i of the reference. Paired
 * when every seed's files line up (the two-way split of seed-paired.ts); else each
 * seed's difference of errors, their SD / sqrt(k) for the runs and the mean over seeds
 * of the unpaired image error (conservative: it also holds what the seeds disagree on).
 */
function differenceBySeed(c: ClaimComparison, metric: Metric, subj: RowResult, ref: RowResult, perSeed: PerSeedByRow | undefined) {
  const ss = subj.perSeed!
  const rs = ref.perSeed!
  const k = ss.length
  const s = perSeed?.get(c.subject)
  const r = perSeed?.get(c.reference)
  let why = 'posterior files not loaded'
  const usable = (x: RowPerImage[] | undefined, ref: string): x is Exclude<RowPerImage, {unavailable: string}>[] => {
    const bad = x?.findIndex((e) => 'unavailable' in e) ?? -1
    if (x !== undefined && bad >= 0) why = `${ref} seed ${bad + 1}: ${(x[bad] as {unavailable: string}).unavailable}`
    return x !== undefined && bad < 0
  }
  if (s !== undefined && r !== undefined && usable(s, c.subject) && usable(r, c.reference)) {
    const problem = s.map((e, i) => pairingProblem(e, r[i])).find((p) => p !== undefined) ?? (new Set(s.map((e) => e.ids.length)).size > 1 ? 'seeds scored different images' : undefined)
    if (problem === undefined) {
      const x = s.map((e, i) => {
        const out = new Float64Array(e.ids.length)
        for (let j = 0; j < out.length; j++) out[j] = r[i][metric][j] - e[metric][j]
        return out
      })
      const noise = seedPairedNoise(x)
      let better = 0
      let worse = 0
      for (const row of x) for (const v of row) v > 0 ? better++ : v < 0 ? worse++ : 0
      const n = x[0].length
      return {d: noise.mean, perSeed: noise.perSeed, seSample: noise.seSample, seSeed: noise.seSeed, components: noise.components, n: [n, n] as [number, number], rule: 'paired' as const, perImageBySeed: x, discordant: {better, worse}}
    }
    why = problem
  }
  const err = (x: NonNullable<RowResult['perSeed']>[number]) => (metric === 'top1' ? {err: x.top1Err, ci: x.top1Ci} : {err: x.top5Err, ci: x.top5Ci})
  const perSeedD = ss.map((x, i) => err(rs[i]).err - err(x).err)
  const seSample = ss.reduce((a, x, i) => a + noiseLevel(err(x), err(rs[i])) / Z95, 0) / k
  return {d: perSeedD.reduce((a, b) => a + b, 0) / k, perSeed: perSeedD, seSample, seSeed: perSeedSe(perSeedD), n: [subj.reproduced!.n, ref.reproduced!.n] as [number, number], rule: 'unpaired' as const, unpairedReason: why}
}

function measureBySeed(claim: Claim, c: ClaimComparison, metric: Metric, subj: RowResult, ref: RowResult, base: CheckResult, ctx: ClaimContext): Measured | CheckResult {
  const k = subj.perSeed!.length
  if (ref.perSeed?.length !== k) return {...base, reason: `${c.subject} and ${c.reference} have different numbers of seeds`}
  const {perSeed, perImageBySeed, components, seSeed, ...diff} = differenceBySeed(c, metric, subj, ref, ctx.perSeedImages)
  const seedDof = k - 1
  const se = totalSe({seSample: diff.seSample, seSeed})
  const dof = welchDof(diff.seSample, seSeed, seedDof)
  const margin = c.expect === 'not-lower' ? marginPoints(claim, ref, metric) : undefined
  const orientation = c.expect === 'lower' ? 1 : -1
  const offset = margin ?? 0
  const effect = offset + orientation * diff.d
  const check: CheckResult = {
    ...base,
    ...diff,
    noise: critical95(dof) * se,
    ci: ci95(diff.d, se, dof),
    effect,
    effectCi: ci95(effect, se, dof),
    ...(margin !== undefined ? {margin} : {}),
    seSample: diff.seSample,
    seSeed,
    noiseKind: seedVarianceFactor(subj, ref) === 0 ? 'same nets' : 'between nets',
    ownSeeds: k,
    dof,
  }
  return {
    check,
    effect: {
      effect,
      seSample: diff.seSample,
      seSeed,
      seedDof,
      offset,
      perSeed: perSeed.map((d) => offset + orientation * d),
      ...(perImageBySeed ? {perImageBySeed: perImageBySeed.map((x) => x.map((v) => orientation * v))} : {}),
      ...(components ? {components} : {}),
    },
  }
}

function measure(claim: Claim, c: ClaimComparison, metric: Metric, byRef: Map<string, RowResult>, ctx: ClaimContext): Measured | CheckResult {
  const subj = byRef.get(c.subject)
  const ref = byRef.get(c.reference)
  const base: CheckResult = {subject: c.subject, reference: c.reference, expect: c.expect, metric, primary: metric === claim.primary, verdict: 'pending'}
  if (subj && ref) base.paperD = ref.paper[metric] - subj.paper[metric]
  const reason = pendingReason(c.subject, subj) ?? pendingReason(c.reference, ref)
  if (reason !== undefined || !subj?.reproduced || !ref?.reproduced) return {...base, reason: reason ?? 'missing results'}
  if ((subj.perSeed?.length ?? 0) >= 2) return measureBySeed(claim, c, metric, subj, ref, base, ctx)
  const {perImage, ...diff} = difference(c, metric, subj, ref, ctx.perImage)
  const seed = seedSe(ctx.noise, metric, seedVarianceFactor(subj, ref))
  const se = totalSe({seSample: diff.seSample, seSeed: seed.se})
  const dof = effectDof({seSample: diff.seSample, seSeed: seed.se, seedDof: seed.dof})
  // 'not-lower': the paper says the subject does not improve by the margin or more.
  const margin = c.expect === 'not-lower' ? marginPoints(claim, ref, metric) : undefined
  const orientation = c.expect === 'lower' ? 1 : -1
  const offset = margin ?? 0
  const effect = offset + orientation * diff.d
  const oriented = perImage === undefined ? undefined : perImage.map((x) => orientation * x)
  const check: CheckResult = {
    ...base,
    ...diff,
    noise: critical95(dof) * se,
    ci: ci95(diff.d, se, dof),
    effect,
    effectCi: ci95(effect, se, dof),
    ...(margin !== undefined ? {margin} : {}),
    seSample: diff.seSample,
    seSeed: seed.se,
    noiseKind: seed.kind,
    dof,
  }
  return {check, effect: {effect, seSample: diff.seSample, seSeed: seed.se, seedDof: seed.dof, perImage: oriented, offset}}
}

/** The claim's equivalence margin in points of the metric (relative margins scale with the reference's error). */
function marginPoints(claim: Claim, reference: RowResult, metric: Metric): number {
  const m = claim.margin
  if (m === undefined) throw new Error(`claim ${claim.id} has a 'not-lower' comparison but no margin (${claim.source.file}:${claim.source.line})`)
  if ('points' in m) return m.points
  const err = metric === 'top1' ? reference.reproduced!.top1Err : reference.reproduced!.top5Err
  return m.relative * err
}

function judgeMetric(claim: Claim, metric: Metric, byRef: Map<string, RowResult>, ctx: ClaimContext): {checks: CheckResult[]; verdict: ClaimVerdict; pooled?: Pooled} {
  const measured = claim.comparisons.map((c) => measure(claim, c, metric, byRef, ctx))
  if (measured.some((m) => !('effect' in m && 'check' in m))) {
    return {checks: measured.map((m) => ('check' in m ? m.check : m)), verdict: 'pending'}
  }
  const ok = measured as Measured[]
  const stats = claimStats(ok.map((m) => m.effect))
  const checks = ok.map(({check}, i) => ({
    ...check,
    pAgainst: stats.pAgainst[i],
    holmP: stats.holmAdjusted[i],
    verdict: stats.contradicts[i] ? 'fails' : check.effectCi![0] > 0 ? 'holds' : 'within noise',
  })) as CheckResult[]
  return {checks, verdict: stats.verdict, pooled: stats.pooled}
}

export function evaluateClaim(claim: Claim, rows: readonly RowResult[], ctx: ClaimContext = {}): ClaimResult {
  const byRef = new Map(rows.map((r) => [rowRef(r), r]))
  const secondary: Metric = claim.primary === 'top1' ? 'top5' : 'top1'
  const main = judgeMetric(claim, claim.primary, byRef, ctx)
  const other = judgeMetric(claim, secondary, byRef, ctx)
  return {claim, verdict: main.verdict, checks: [...main.checks, ...other.checks], ...(main.pooled ? {pooled: main.pooled} : {})}
}

export function evaluateClaims(claims: readonly Claim[], rows: readonly RowResult[], ctx: ClaimContext = {}): ClaimResult[] {
  return claims.map((c) => evaluateClaim(c, rows, ctx))
}

/** Every row the claims compare, as `<table>/<id>` (what loadPerImageErrors needs to read). */
export function claimRows(claims: readonly Claim[]): Set<string> {
  return new Set(claims.flatMap((c) => c.comparisons.flatMap((k) => [k.subject, k.reference])))
}
