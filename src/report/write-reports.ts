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
import {measureTrainingNoise, type NoiseSource, type OwnSeedNoise, type SeedRun} from './training-noise.js'
import {loadPerSeedErrors} from './per-image-load.js'
import {claimPowersOf, type PowerPrediction} from './power-markdown.js'
import {NOISE_FILE, noiseRecord} from './noise-record.js'
import {sampleSd} from './seed-mean.js'

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
  /** seeds per net of the run (rows then carry perSeed; the claims measure their own training-run noise); default 1 */
  seeds?: number
  /** the budget planner's prediction for this run's design, per claim id */
  prediction?: PowerPrediction
}

/** k >= 2: the claims' noise source, with the spread of Table 3 rows over their seeds. */
function ownSeedNoise(rows: readonly RowResult[], k: number): OwnSeedNoise {
  const sds = rows.filter((r) => r.table === 'table3' && r.perSeed?.length === k).map((r) => sampleSd(r.perSeed!.map((s) => s.top1Err)))
  return {ownSeeds: k, ...(sds.length > 0 ? {rowSd: {top1: Math.sqrt(sds.reduce((a, x) => a + x * x, 0) / sds.length), rows: sds.length}} : {})}
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
  // Claims compare rows image by image where both rows' posterior files can be read
  // (with k >= 2 seeds per net, seed i's files with seed i's).
  const k = opts.seeds ?? 1
  const perImage = k === 1 ? await loadPerImageErrors(rows, claimRows(opts.claims)) : undefined
  const perSeedImages = k > 1 ? await loadPerSeedErrors(rows, claimRows(opts.claims)) : undefined
  const noise: NoiseSource = k > 1 ? ownSeedNoise(rows, k) : measureTrainingNoise(opts.seedRuns ?? [])
  const claims = evaluateClaims(opts.claims, rows, {perImage, perSeedImages, noise})
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

  const discord = k === 1 ? await seedDiscordance(opts.seedRuns ?? []) : undefined
  await write('summary.md', summaryMarkdown({provenance, rows, claims, noise, seedDiscordance: discord, scope: opts.scope, tableCharts, curvesChart, jobNames: opts.jobNames, prediction: opts.prediction}))
  // What the budget planner reads back (plan --budget): the noise this run measured.
  const record = noiseRecord(claimPowersOf({results: claims, valImages: provenance.dataset.valImages, seedDiscordance: discord}), noise)
  if (record !== undefined) await write(NOISE_FILE, JSON.stringify(record, null, 2) + '\n')
  // The CSVs cannot carry a header block; this sidecar says where their numbers came from.
  await write('provenance.json', JSON.stringify({...provenance, jobs: jobTimes(rows, opts.jobNames)}, null, 2) + '\n')
  return {files}
}
