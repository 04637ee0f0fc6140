// Verdicts for the paper's qualitative claims (declared as data in experiments/types.ts).
// A claim is a list of row comparisons; each is judged by the noise rule in
// comparison.ts, on top-1, top-5 or both as the claim says.
import type {Claim, ClaimComparison} from '../experiments/types.js'
import {compare, type ComparisonVerdict} from './comparison.js'
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
  noise?: number
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

function check(c: ClaimComparison, metric: 'top1' | 'top5', byRef: Map<string, RowResult>): CheckResult {
  const subj = byRef.get(c.subject)
  const ref = byRef.get(c.reference)
  const base: CheckResult = {subject: c.subject, reference: c.reference, expect: c.expect, metric, verdict: 'pending'}
  if (subj && ref) base.paperD = ref.paper[metric] - subj.paper[metric]
  const reason = pendingReason(c.subject, subj) ?? pendingReason(c.reference, ref)
  if (reason !== undefined || !subj?.reproduced || !ref?.reproduced) return {...base, reason: reason ?? 'missing results'}
  const pick = (r: NonNullable<RowResult['reproduced']>) =>
    metric === 'top1' ? {err: r.top1Err, ci: r.top1Ci} : {err: r.top5Err, ci: r.top5Ci}
  const out = compare(pick(subj.reproduced), pick(ref.reproduced), c.expect)
  return {...base, verdict: out.verdict, d: out.d, noise: out.noise}
}

/** Missing rows make the claim pending; else any failure fails it; all holding holds it. */
export function combineVerdicts(verdicts: readonly ClaimVerdict[]): ClaimVerdict {
  if (verdicts.length === 0 || verdicts.includes('pending')) return 'pending'
  if (verdicts.includes('fails')) return 'fails'
  if (verdicts.every((v) => v === 'holds')) return 'holds'
  return 'within noise'
}

export function evaluateClaim(claim: Claim, rows: readonly RowResult[]): ClaimResult {
  const byRef = new Map(rows.map((r) => [rowRef(r), r]))
  const checks = claim.comparisons.flatMap((c) => metricsOf(claim).map((m) => check(c, m, byRef)))
  return {claim, verdict: combineVerdicts(checks.map((c) => c.verdict)), checks}
}

export function evaluateClaims(claims: readonly Claim[], rows: readonly RowResult[]): ClaimResult[] {
  return claims.map((c) => evaluateClaim(c, rows))
}
