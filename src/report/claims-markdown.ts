// Claims as Markdown: one summary line per claim, then each claim's comparisons.
import type {CheckResult, ClaimResult} from './claims.js'
import {signed} from './format.js'
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

function deltaText(c: CheckResult): string {
  if (c.d === undefined) return ''
  const ci = c.ci ? ` [${signed(c.ci[0])}, ${signed(c.ci[1])}]` : ''
  return `${signed(c.d)}${ci}`
}

function nText(c: CheckResult): string {
  if (!c.n) return ''
  return c.n[0] === c.n[1] ? String(c.n[0]) : `${c.n[0]} / ${c.n[1]}`
}

/** Which rule judged the check; paired shows the discordant images, unpaired why it is not paired. */
function ruleText(c: CheckResult): string {
  if (c.rule === 'paired') return c.discordant ? `paired (${c.discordant.better} vs ${c.discordant.worse})` : 'paired'
  if (c.rule === 'unpaired') return c.unpairedReason ? `unpaired (${c.unpairedReason})` : 'unpaired'
  return ''
}

export function claimDetailsMarkdown(r: ClaimResult): string {
  const head = `### ${r.claim.text} — **${r.verdict}**\n\n_Claim \`${r.claim.id}\`, paper section ${r.claim.section}._`
  const table = markdownTable(
    ['subject', 'reference', 'expected of subject', 'metric', 'paper Δ', 'reproduced Δ [95% CI]', 'n', 'rule', 'verdict'],
    r.checks.map((c) => [
      c.subject,
      c.reference,
      EXPECT_TEXT[c.expect],
      c.metric === 'top1' ? 'top-1' : 'top-5',
      signed(c.paperD, 1),
      deltaText(c),
      nText(c),
      ruleText(c),
      c.verdict === 'pending' && c.reason ? `pending (${c.reason})` : c.verdict,
    ]),
    ['l', 'l', 'l', 'l', 'r', 'r', 'r', 'l', 'l'],
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
