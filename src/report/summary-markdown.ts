// results/<profile>/summary.md: provenance, legend, claims, every table with its chart,
// the training curves and the per-job wall times in one page.
import type {ClaimResult} from './claims.js'
import {denseCheckMarkdown} from './dense-check.js'
import {claimDetailsAllMarkdown, claimsSummaryMarkdown, trainingNoiseMarkdown} from './claims-markdown.js'
import {CLAIM_LEGEND, SHORT_VERDICTS, TABLE_LEGEND} from './legend.js'
import {powerMarkdown, type PowerPrediction} from './power-markdown.js'
import {jobTimesMarkdown, provenanceMarkdown, type JobNames, type Provenance} from './provenance.js'
import {rowsOfTable, TABLE_TITLES, tablesPresent, type RowResult} from './row-result.js'
import {rankingAgreement} from './ranking.js'
import {tableMarkdown} from './table-markdown.js'
import type {SeedDiscordance} from './seed-discordance.js'
import {isOwnSeedNoise, type NoiseSource} from './training-noise.js'

export interface SummaryInput {
  provenance: Provenance
  rows: readonly RowResult[]
  claims: readonly ClaimResult[]
  /** the training-run noise the claims' intervals include, or why there is none */
  noise?: NoiseSource
  /** how often two seeds of net A disagree about an image (the power projection's split of per-image noise) */
  seedDiscordance?: SeedDiscordance
  /** what this profile can and cannot show */
  scope?: string
  /** chart paths relative to the summary, per table and for the curves */
  tableCharts: Partial<Record<string, string>>
  curvesChart?: string
  jobNames?: JobNames
  /** the budget planner's prediction for this design (shown beside the realised standard errors) */
  prediction?: PowerPrediction
}

export function summaryMarkdown(s: SummaryInput): string {
  const parts: string[] = [
    `# VGG reproduction: profile \`${s.provenance.profile}\``,
    provenanceMarkdown(s.provenance, s.rows),
    '## Claims',
    claimsSummaryMarkdown(s.claims),
    `${SHORT_VERDICTS} Each claim's comparisons and the exact rule: [Claim details](#claim-details).`,
    trainingNoiseMarkdown(s.noise),
  ]
  const denseCheck = denseCheckMarkdown(s.rows)
  if (denseCheck !== undefined) parts.push(denseCheck)
  const power = powerMarkdown({results: s.claims, rows: s.rows, noise: s.noise, valImages: s.provenance.dataset.valImages, seedDiscordance: s.seedDiscordance, prediction: s.prediction})
  if (power !== undefined) parts.push('### What this run could detect', power)
  if (s.scope !== undefined) parts.push('### What this profile can and cannot show', s.scope.trim())
  for (const t of tablesPresent(s.rows)) {
    parts.push(`## ${TABLE_TITLES[t]}`)
    const chart = s.tableCharts[t]
    // Alt text without the title: its "[256;512]" would end the image syntax early.
    if (chart) parts.push(`![${t}: paper vs reproduced top-1 error](${chart})`)
    parts.push(tableMarkdown(rowsOfTable(s.rows, t)), `Also as [${t}.md](${t}.md) and [${t}.csv](${t}.csv).`)
    const agreement = rankingAgreement(rowsOfTable(s.rows, t))
    if (agreement !== undefined && t === 'table3') {
      parts.push(`Order of the rows by top-1 error, reproduced vs paper: Kendall's tau-b = ${agreement.tau.toFixed(2)} over ${agreement.n} rows (1: the paper's order, 0: unrelated).`)
    }
  }
  parts.push(TABLE_LEGEND, '## Training curves')
  parts.push(s.curvesChart ? `![training curves: train loss and minival (held out of train) top-1 error per epoch](${s.curvesChart})` : '_No training metrics yet._')
  if (s.claims.length > 0) {
    parts.push('## Claim details', CLAIM_LEGEND)
    if (isOwnSeedNoise(s.noise)) parts.push(`**With ${s.noise.ownSeeds} seeds per net** the training-run part is not net A's: each comparison measures its own from its ${s.noise.ownSeeds} seed pairs (*s.e. sample / runs* says \`own ${s.noise.ownSeeds} seeds\`), by the rule printed under *Training-run noise* above.`)
    parts.push(claimDetailsAllMarkdown(s.claims))
  }
  parts.push('## Jobs', jobTimesMarkdown(s.rows, s.jobNames))
  return parts.join('\n\n') + '\n'
}
