// Claims as Markdown: one summary line per claim, then each claim's comparisons.
import type {ClaimResult} from './claims.js'
import {pct, signed} from './format.js'
import {markdownTable} from './markdown-util.js'

function counts(r: ClaimResult): string {
  const n = (v: string) => r.checks.filter((c) => c.verdict === v).length
  const parts = [['holds', n('holds')], ['within noise', n('within noise')], ['fails', n('fails')], ['pending', n('pending')]]
  return parts.filter(([, k]) => k !== 0).map(([v, k]) => `${k} ${v}`).join(', ')
}

const EXPECT_TEXT = {lower: 'lower error', 'not-lower': 'not lower'} as const

export function claimsSummaryMarkdown(results: readonly ClaimResult[]): string {
  if (results.length === 0) return '_No claims were given._'
  return markdownTable(
    ['claim', 'paper §', 'metric', 'verdict', 'checks (comparison × metric)'],
    results.map((r) => [r.claim.text, r.claim.section, r.claim.metric, `**${r.verdict}**`, counts(r)]),
  )
}

export function claimDetailsMarkdown(r: ClaimResult): string {
  const head = `### ${r.claim.text} — **${r.verdict}**\n\n_Claim \`${r.claim.id}\`, paper section ${r.claim.section}._`
  const table = markdownTable(
    ['subject', 'reference', 'expected of subject', 'metric', 'paper Δ', 'reproduced Δ', 'noise ±', 'verdict'],
    r.checks.map((c) => [
      c.subject,
      c.reference,
      EXPECT_TEXT[c.expect],
      c.metric === 'top1' ? 'top-1' : 'top-5',
      signed(c.paperD, 1),
      signed(c.d),
      pct(c.noise),
      c.verdict === 'pending' && c.reason ? `pending (${c.reason})` : c.verdict,
    ]),
    ['l', 'l', 'l', 'l', 'r', 'r', 'r', 'l'],
  )
  return `${head}\n\n${table}`
}

export function claimsMarkdown(results: readonly ClaimResult[]): string {
  return [claimsSummaryMarkdown(results), ...results.map(claimDetailsMarkdown)].join('\n\n')
}

/** Only the per-claim comparison tables (the summary puts them after the tables). */
export function claimDetailsAllMarkdown(results: readonly ClaimResult[]): string {
  return results.map(claimDetailsMarkdown).join('\n\n')
}
