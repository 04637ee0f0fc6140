// results/<profile>/summary.md: provenance, legend, claims, every table with its chart,
// the training curves and the per-job wall times in one page.
import type {ClaimResult} from './claims.js'
import {claimsMarkdown} from './claims-markdown.js'
import {CLAIM_LEGEND, TABLE_LEGEND} from './legend.js'
import {jobTimesMarkdown, provenanceMarkdown, type Provenance} from './provenance.js'
import {rowsOfTable, TABLE_TITLES, tablesPresent, type RowResult} from './row-result.js'
import {tableMarkdown} from './table-markdown.js'

export interface SummaryInput {
  provenance: Provenance
  rows: readonly RowResult[]
  claims: readonly ClaimResult[]
  /** chart paths relative to the summary, per table and for the curves */
  tableCharts: Partial<Record<string, string>>
  curvesChart?: string
}

export function summaryMarkdown(s: SummaryInput): string {
  const parts: string[] = [
    `# VGG reproduction: profile \`${s.provenance.profile}\``,
    provenanceMarkdown(s.provenance, s.rows),
    '## Claims',
    claimsMarkdown(s.claims),
    CLAIM_LEGEND,
  ]
  for (const t of tablesPresent(s.rows)) {
    parts.push(`## ${TABLE_TITLES[t]}`)
    const chart = s.tableCharts[t]
    if (chart) parts.push(`![${TABLE_TITLES[t]}: paper vs reproduced top-1 error](${chart})`)
    parts.push(tableMarkdown(rowsOfTable(s.rows, t)), `Also as [${t}.md](${t}.md) and [${t}.csv](${t}.csv).`)
  }
  parts.push(TABLE_LEGEND, '## Training curves')
  parts.push(s.curvesChart ? `![training curves: train loss and val top-1 error per epoch](${s.curvesChart})` : '_No training metrics yet._')
  parts.push('## Jobs', jobTimesMarkdown(s.rows))
  return parts.join('\n\n') + '\n'
}
