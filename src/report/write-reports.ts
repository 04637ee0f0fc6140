// Entry point of the report module: everything under results/<profile>/ from row results.
import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {claimRows, evaluateClaims, type Claim} from './claims.js'
import {curvesChartSpec} from './curves-chart.js'
import {errorChartSpec} from './error-chart.js'
import {readCurves} from './metrics-read.js'
import {loadPerImageErrors} from './per-image-load.js'
import {jobTimes, type JobNames, type Provenance} from './provenance.js'
import {rowsOfTable, TABLE_TITLES, tablesPresent, type RowResult} from './row-result.js'
import {summaryMarkdown} from './summary-markdown.js'
import {tableCsv} from './table-csv.js'
import {tableReportMarkdown} from './table-report.js'
import {seedDiscordance} from './seed-discordance.js'
import {measureTrainingNoise, type SeedRun} from './training-noise.js'

export interface WriteReportsOptions {
  profile: string
  /** results/<profile> */
  outDir: string
  rows: RowResult[]
  claims: Claim[]
  provenance: Provenance
  /** training metrics per net; defaults to the train jobs' metricsPath in `rows` */
  curves?: {net: string; metricsPath: string}[]
  /** job key -> readable name (the runner's node names); keys are shown otherwise */
  jobNames?: JobNames
  /** net A's seed runs (profile seedNoise): the training-run noise in the claims' intervals */
  seedRuns?: SeedRun[]
  /** what this profile can and cannot show (the profile's `scope`) */
  scope?: string
}

/** Train jobs are shared by many rows; each is one curve, named after its job. */
export function curvesFromRows(rows: readonly RowResult[], names: JobNames = {}): {net: string; metricsPath: string}[] {
  const seen = new Map<string, string>()
  for (const r of rows) for (const j of r.jobs) if (j.kind === 'train' && j.metricsPath && !seen.has(j.key)) seen.set(j.key, j.metricsPath)
  // "train D S=[73;146]" -> "D S=[73;146]": the chart is all training anyway.
  return [...seen].map(([key, metricsPath]) => ({net: (names[key] ?? key).replace(/^train /, ''), metricsPath}))
}

export async function writeReports(opts: WriteReportsOptions): Promise<{files: string[]}> {
  const {outDir, rows, provenance} = opts
  const chartDir = path.join(outDir, 'charts')
  await mkdir(chartDir, {recursive: true})
  const files: string[] = []
  const write = async (name: string, text: string) => {
    const p = path.join(outDir, name)
    await writeFile(p, text)
    files.push(p)
  }
  // Claims compare rows image by image where both rows' posterior files can be read.
  const perImage = await loadPerImageErrors(rows, claimRows(opts.claims))
  const noise = measureTrainingNoise(opts.seedRuns ?? [])
  const claims = evaluateClaims(opts.claims, rows, {perImage, noise})
  // Loaded here, not at the top: vega is heavy and most commands only print tables.
  const {writeChart} = await import('./render-chart.js')

  const tableCharts: Record<string, string> = {}
  for (const t of tablesPresent(rows)) {
    const chart = await writeChart(errorChartSpec(TABLE_TITLES[t], rowsOfTable(rows, t)), path.join(chartDir, t))
    files.push(chart.svg, chart.png)
    // Markdown links use '/', whatever the OS.
    tableCharts[t] = path.posix.join('charts', path.basename(chart.png))
    await write(`${t}.md`, tableReportMarkdown(t, rowsOfTable(rows, t), provenance, claims, tableCharts[t], opts.jobNames))
    await write(`${t}.csv`, tableCsv(rowsOfTable(rows, t)))
  }

  let curvesChart: string | undefined
  const points = await readCurves(opts.curves ?? curvesFromRows(rows, opts.jobNames))
  if (points.length > 0) {
    const chart = await writeChart(curvesChartSpec(`Training curves (profile ${opts.profile})`, points), path.join(chartDir, 'training-curves'))
    files.push(chart.svg, chart.png)
    curvesChart = path.posix.join('charts', path.basename(chart.png))
  }

  const discord = await seedDiscordance(opts.seedRuns ?? [])
  await write('summary.md', summaryMarkdown({provenance, rows, claims, noise, seedDiscordance: discord, scope: opts.scope, tableCharts, curvesChart, jobNames: opts.jobNames}))
  // The CSVs cannot carry a header block; this sidecar says where their numbers came from.
  await write('provenance.json', JSON.stringify({...provenance, jobs: jobTimes(rows, opts.jobNames)}, null, 2) + '\n')
  return {files}
}
