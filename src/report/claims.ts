// Verdicts for the paper's qualitative claims (declared as data in experiments/types.ts).
// A claim is a list of row comparisons, each judged on top-1, top-5 or both as the
// claim says: image by image (paired.ts) when both rows' posterior files are loaded
// and cover the same images, else by the independent-interval rule of comparison.ts.
import type {Claim, ClaimComparison} from '../experiments/types.js'
import {compare, type ComparisonVerdict} from './comparison.js'
import {pairedDifference, pairedVerdict} from './paired.js'
import {pairingProblem} from './per-image-errors.js'
import type {PerImageByRow} from './per-image-load.js'
import {rowRef, type RowResult} from './row-result.js'

export type {Claim}
export type ClaimVerdict = ComparisonVerdict | 'pending'

export interface CheckResult {
  subject: string
  reference: string
  expect: ClaimComparison['expect']
  metric: 'top1' | 'top5'
  verdict: ClaimVerdict
  /** reference - subject error, percentage points (positive: subject better) */
  d?: number
  /** half-width of the 95% interval of d under the rule used */
  noise?: number
  /** 95% interval of d: paired (per-image differences) or d ± noise (unpaired) */
  ci?: [number, number]
  /** images behind the errors: [subject, reference] (equal when paired) */
  n?: [subject: number, reference: number]
  /** 'paired': image by image; 'unpaired': the two rows' independent intervals */
  rule?: 'paired' | 'unpaired'
  /** why the check could not be paired */
  unpairedReason?: string
  /** paired only: images only the subject gets right / only the reference gets right */
  discordant?: {better: number; worse: number}
  /** the same difference in the paper's numbers */
  paperD?: number
  /** why a check is pending */
  reason?: string
}

export interface ClaimResult {
  claim: Claim
  verdict: ClaimVerdict
  checks: CheckResult[]
}

function metricsOf(claim: Claim): ('top1' | 'top5')[] {
  return claim.metric === 'both' ? ['top1', 'top5'] : [claim.metric]
}

function pendingReason(ref: string, row: RowResult | undefined): string | undefined {
  if (!row) return `${ref} is not in this run`
  if (row.status === 'failed') return `${ref} failed`
  if (row.status !== 'ok' || !row.reproduced) return `${ref} is pending`
  return undefined
}

type Judged = Pick<CheckResult, 'verdict' | 'd' | 'noise' | 'ci' | 'n' | 'rule' | 'unpairedReason' | 'discordant'>

/** The paired judgement, or why there is none. */
function paired(c: ClaimComparison, metric: 'top1' | 'top5', perImage: PerImageByRow | undefined): Judged | string {
  if (perImage === undefined) return 'posterior files not loaded'
  const s = perImage.get(c.subject)
  const r = perImage.get(c.reference)
  if (s === undefined || r === undefined) return 'posterior files not loaded'
  if ('unavailable' in s) return `${c.subject}: ${s.unavailable}`
  if ('unavailable' in r) return `${c.reference}: ${r.unavailable}`
  const problem = pairingProblem(s, r)
  if (problem !== undefined) return problem
  const p = pairedDifference(s[metric], r[metric])
  return {
    verdict: pairedVerdict(p, c.expect),
    d: p.d,
    noise: (p.ci[1] - p.ci[0]) / 2,
    ci: p.ci,
    n: [p.n, p.n],
    rule: 'paired',
    discordant: {better: p.better, worse: p.worse},
  }
}

function check(c: ClaimComparison, metric: 'top1' | 'top5', byRef: Map<string, RowResult>, perImage: PerImageByRow | undefined): CheckResult {
  const subj = byRef.get(c.subject)
  const ref = byRef.get(c.reference)
  const base: CheckResult = {subject: c.subject, reference: c.reference, expect: c.expect, metric, verdict: 'pending'}
  if (subj && ref) base.paperD = ref.paper[metric] - subj.paper[metric]
  const reason = pendingReason(c.subject, subj) ?? pendingReason(c.reference, ref)
  if (reason !== undefined || !subj?.reproduced || !ref?.reproduced) return {...base, reason: reason ?? 'missing results'}
  const judged = paired(c, metric, perImage)
  if (typeof judged !== 'string') return {...base, ...judged}
  const pick = (r: NonNullable<RowResult['reproduced']>) =>
    metric === 'top1' ? {err: r.top1Err, ci: r.top1Ci} : {err: r.top5Err, ci: r.top5Ci}
  const out = compare(pick(subj.reproduced), pick(ref.reproduced), c.expect)
  return {
    ...base,
    verdict: out.verdict,
    d: out.d,
    noise: out.noise,
    ci: [out.d - out.noise, out.d + out.noise],
    n: [subj.reproduced.n, ref.reproduced.n],
    rule: 'unpaired',
    unpairedReason: judged,
  }
}

/** Missing rows make the claim pending; else any failure fails it; all holding holds it. */
export function combineVerdicts(verdicts: readonly ClaimVerdict[]): ClaimVerdict {
  if (verdicts.length === 0 || verdicts.includes('pending')) return 'pending'
  if (verdicts.includes('fails')) return 'fails'
  if (verdicts.every((v) => v === 'holds')) return 'holds'
  return 'within noise'
}

/** `perImage` (loadPerImageErrors): rows' per-image errors for paired checks; without it every check is unpaired. */
export function evaluateClaim(claim: Claim, rows: readonly RowResult[], perImage?: PerImageByRow): ClaimResult {
  const byRef = new Map(rows.map((r) => [rowRef(r), r]))
  const checks = claim.comparisons.flatMap((c) => metricsOf(claim).map((m) => check(c, m, byRef, perImage)))
  return {claim, verdict: combineVerdicts(checks.map((c) => c.verdict)), checks}
}

export function evaluateClaims(claims: readonly Claim[], rows: readonly RowResult[], perImage?: PerImageByRow): ClaimResult[] {
  return claims.map((c) => evaluateClaim(c, rows, perImage))
}

/** Every row the claims compare, as `<table>/<id>` (what loadPerImageErrors needs to read). */
export function claimRows(claims: readonly Claim[]): Set<string> {
  return new Set(claims.flatMap((c) => c.comparisons.flatMap((k) => [k.subject, k.reference])))
}
