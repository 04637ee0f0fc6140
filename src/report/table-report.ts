// results/<profile>/tableN.md: one table with its provenance header, chart, legend and
// the verdicts of the claims that compare rows of this table.
import type {ClaimResult} from './claims.js'
import {claimsSummaryMarkdown} from './claims-markdown.js'
import {SHORT_VERDICTS, TABLE_LEGEND} from './legend.js'
import {jobTimesMarkdown, provenanceMarkdown, type JobNames, type Provenance} from './provenance.js'
import {denseCheckMarkdown} from './dense-check.js'
import {TABLE_TITLES, type RowResult, type TableName} from './row-result.js'
import {tableMarkdown} from './table-markdown.js'

export function tableReportMarkdown(
  table: TableName,
  rows: readonly RowResult[],
  provenance: Provenance,
  claims: readonly ClaimResult[],
  chart?: string,
  jobNames?: JobNames,
): string {
  const mine = claims.filter((c) => c.checks.some((k) => k.subject.startsWith(`${table}/`) || k.reference.startsWith(`${table}/`)))
  const parts = [
    `# ${TABLE_TITLES[table]} (profile \`${provenance.profile}\`)`,
    provenanceMarkdown(provenance, rows),
    tableMarkdown(rows),
    TABLE_LEGEND,
  ]
  if (chart) parts.push(`![paper vs reproduced top-1 error](${chart})`)
  const denseCheck = table === 'table5' ? denseCheckMarkdown(rows) : undefined
  if (denseCheck !== undefined) parts.push(denseCheck)
  if (mine.length > 0) parts.push('## Claims on this table', claimsSummaryMarkdown(mine), `${SHORT_VERDICTS} Comparisons, the exact rule and the other tables: [summary.md](summary.md).`)
  parts.push(jobTimesMarkdown(rows, jobNames))
  return parts.join('\n\n') + '\n'
}
