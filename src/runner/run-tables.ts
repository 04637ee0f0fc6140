// What `table3`..`table6`, `all`, `plan` and `report` do, so the commands stay thin:
// load the experiment files, resolve the data, build the graph, then plan, run or
// re-render, and hand the rows to the report module.
import {readFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {initBackend, slowBackendWarning} from '../backend/backend.js'
import {resolvePrecisionChoice} from '../backend/host-precision.js'
import {parsePrecision, PrecisionError, type Precision} from '../backend/precision.js'
import {claimsFile, claimsFor, loadClaims} from '../experiments/claims.js'
import {loadProfile} from '../experiments/profile.js'
import {loadTables} from '../experiments/tables.js'
import {TABLE_NAMES, type Claim, type Profile, type RowResult, type TableName} from '../experiments/types.js'
import {writeReports, type Provenance} from '../report/index.js'
import {writeJsonAtomicSync} from '../util/atomic-write.js'
import {buildGraph} from './build-graph.js'
import {gitCommit} from './git-commit.js'
import {datasetForPlan, portableDatasetPath, resolveDataset} from './dataset.js'
import {measureRate} from './estimate.js'
import type {Executor} from './executor.js'
import type {DatasetInfo, JobGraph} from './jobs.js'
import {acquireLock} from './lock.js'
import {resultsDirOf, runDirOf} from './paths.js'
import {formatPlan, makePlan, type Plan} from './plan.js'
import {GraphProgress} from './progress.js'
import {rowResults, cachedOutcomes, seedRunResults} from './row-results.js'
import {runGraph, type JobOutcome, type RunSummary} from './run-graph.js'
import {checkTempDir, checkWritable, errnoText, FolderAccessError} from './writable.js'
import {applyDesign, checkResultsOwner, resultsNameOf, seedsOf} from './seeds.js'
import {measuredTimes} from './measured-times.js'
import {predictDesign, type Prediction} from './budget/prediction.js'

/** What a run or a Slurm submission of tables is asked for. */
export interface TablesRequest {
  tables: readonly TableName[]
  profile: string
  data?: string
  backend?: string
  /** --precision (fp32, bf16, auto); default the profile's setting */
  precision?: string
  /** --seeds k: every net k times (default the profile's seeds, else 1) */
  seeds?: number
  /** --val-images n: score n val images instead of the profile's maxValImages */
  valImages?: number
  /** status lines (progress goes to `progress`) */
  log: (line: string) => void
  progress: (line: string) => void
}

export interface RunTablesOptions extends TablesRequest {
  /** tests inject a fake; default: the real trainer and evaluator */
  executor?: Executor
  /** a terminal: train/eval draw their own progress bars */
  tty?: boolean
  signal?: AbortSignal
}

export interface RunTablesResult {
  profile: string
  dataset: DatasetInfo
  rows: RowResult[]
  counts: RunSummary['counts']
  ran: RunSummary['ran']
  interrupted: boolean
  reports: string[]
  /** why the reports could not be written (the results are cached; the command exits 1) */
  reportError?: string
  resultsDir: string
  wallMs: number
}

interface Loaded {
  profile: Profile
  graph: JobGraph
  claims: Claim[]
}

// Takes the loaded profile, never its name: a profile given by path must not be
// swapped for a built-in one of the same name (or fail to load) at report time.
export function load(tables: readonly TableName[], profile: Profile, dataset: DatasetInfo, precision: Precision): Loaded {
  const specs = loadTables(tables)
  // Claims are checked against all four tables so a typo is caught whatever runs.
  const claims = loadClaims(claimsFile(), loadTables(TABLE_NAMES), true)
  const graph = buildGraph({tables: specs, profile, dataset, runDir: runDirOf(profile.name), precision})
  return {profile, graph, claims: claimsFor(claims, specs)}
}

/** `plan` and --dry-run: never trains, never downloads. */
export async function planTables(opts: Pick<RunTablesOptions, 'tables' | 'profile' | 'data' | 'backend' | 'precision' | 'seeds' | 'valImages'>): Promise<Plan> {
  const profile = applyDesign(loadProfile(opts.profile), opts)
  // Validate the files before anything slow.
  loadTables(opts.tables)
  if (opts.precision !== undefined) parsePrecision(opts.precision)
  const {dataset, note} = await datasetForPlan(profile, opts.data)
  const info = await initBackend(opts.backend)
  const precision = resolvePrecisionChoice(opts.precision, profile.precision).precision
  const rate = await measureRate(profile, precision)
  const {graph} = load(opts.tables, profile, dataset, precision)
  return makePlan(graph, profile, {...rate, source: `${rate.source} on ${info.backend}`}, note, measuredTimes(profile.name))
}



export {formatPlan}


export async function runTables(opts: RunTablesOptions): Promise<RunTablesResult> {
  const t0 = Date.now()
  const base = loadProfile(opts.profile)
  const profile = applyDesign(base, opts)
  const resultsName = resultsNameOf(base, opts)
  loadTables(opts.tables)
  checkWritable(runDirOf(profile.name), 'the runs folder', 'set VGG_REPRO_RUNS to a writable folder')
  checkWritable(resultsDirOf(resultsName), 'the results folder', 'set VGG_REPRO_RESULTS to a writable folder')
  checkResultsOwner(resultsDirOf(resultsName), profile.name)
  checkTempDir()
  if (opts.precision !== undefined) parsePrecision(opts.precision)
  const dataset = await resolveDataset(profile, opts.data, {log: opts.progress, progress: opts.tty})

  const backend = await initBackend(opts.backend)
  const warning = slowBackendWarning(backend)
  if (warning) opts.progress(warning)
  // auto is decided after the backend loaded: the eager step (no native TensorFlow) is fp32 only
  const precision = resolvePrecisionChoice(opts.precision, profile.precision)
  opts.progress(`precision ${precision.precision} (${precision.reason})`)
  const {graph, claims} = load(opts.tables, profile, dataset, precision.precision)

  const runDir = runDirOf(profile.name)
  const lock = acquireLock(runDir)
  let summary: RunSummary
  try {
    const rate = await measureRate(profile, precision.precision)
    const plan = makePlan(graph, profile, rate)
    const estimates = new Map(plan.jobs.map((j) => [j.key, j.status === 'cached' ? 0 : j.estSeconds]))
    const progress = new GraphProgress(graph, estimates, opts.progress, {tty: opts.tty})
    opts.progress(
      `${graph.nodes.size} jobs for ${opts.tables.join(', ')} on profile ${profile.name} (${plan.totals.cached} cached); estimated ${formatDurationShort(plan.totals.estSecondsToRun)} to run`,
    )
    // A design beyond the one-seed report: what the planner expects of it, fixed before it runs (kept across resumes).
    const prediction = resultsName === profile.name ? undefined : (readLastRun(runDir, resultsName)?.prediction ?? predictDesign(profile, claims, graph, resultsName))
    const executor = opts.executor ?? (await import('./real-executor.js')).realExecutor({progressBars: opts.tty ?? false})
    summary = await runGraph({graph, executor, signal: opts.signal, onEvent: (e) => progress.handle(e)})
    const provenance: Provenance = {
      profile: profile.name,
      dataset: {path: portableDatasetPath(dataset.root), trainImages: dataset.trainImages, valImages: dataset.valImages, id: dataset.id},
      backend: `${backend.backend} (TensorFlow ${backend.tfVersion})`,
      device: deviceOf(backend.gpu),
      precision: precision.precision,
      precisionReason: precision.reason,
      gitCommit: gitCommit(),
      date: new Date().toISOString(),
      ...(seedsOf(profile) > 1 ? {seeds: seedsOf(profile)} : {}),
    }
    saveLastRun(runDir, {provenance, data: opts.data, ...(prediction !== undefined ? {prediction} : {})}, resultsName)
    const rows = rowResults(graph, summary.outcomes)
    let reports: string[] = []
    let reportError: string | undefined
    try {
      reports = await report(profile, dataset, provenance, {resultsName, prediction}, summary.outcomes)
    } catch (error) {
      // The results are cached: `vgg-repro report` can retry the rendering.
      reportError = error instanceof FolderAccessError ? error.message : `could not write the reports (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`
      opts.log(`${reportError}; the results are cached: run \`vgg-repro report\` after fixing it`)
    }
    return {
      profile: profile.name,
      dataset,
      rows,
      counts: summary.counts,
      ran: summary.ran,
      interrupted: summary.interrupted,
      reports,
      ...(reportError !== undefined ? {reportError} : {}),
      resultsDir: resultsDirOf(resultsName),
      wallMs: Date.now() - t0,
    }
  } finally {
    lock.release()
  }
}

/**
 * Reports cover every table of the profile: rows of this run from its outcomes,
 * the others from the cache (pending when never run), so a `table3` run does not
 * drop Table 4 from summary.md.
 */
async function report(profile: Profile, dataset: DatasetInfo, provenance: Provenance, out: {resultsName: string; prediction?: Prediction}, current?: Map<string, JobOutcome>): Promise<string[]> {
  const all = load(TABLE_NAMES, profile, dataset, provenance.precision ?? 'fp32')
  const outcomes = cachedOutcomes(all.graph)
  for (const [k, o] of current ?? []) outcomes.set(k, o)
  const rows = rowResults(all.graph, outcomes)
  const jobNames = Object.fromEntries([...all.graph.nodes.values()].map((n) => [n.key, n.name]))
  const outDir = resultsDirOf(out.resultsName)
  try {
    const {files} = await writeReports({
      profile: profile.name,
      outDir,
      rows,
      claims: all.claims,
      provenance,
      jobNames,
      seedRuns: seedRunResults(all.graph, outcomes),
      scope: profile.scope,
      seeds: seedsOf(profile),
      ...(out.prediction !== undefined ? {prediction: new Map(out.prediction.claims.map((c) => [c.id, c]))} : {}),
    })
    return files
  } catch (error) {
    // A file-system refusal (read-only, not a folder, full) is the user's to fix: one line.
    if (typeof (error as NodeJS.ErrnoException).code === 'string') throw new FolderAccessError(`cannot write the reports in ${outDir} (${errnoText(error)})`)
    throw error
  }
}

export interface ReportOptions {
  profile: string
  data?: string
  tables: readonly TableName[]
  /** --precision: which cached results to render; default the last run's (fp32 before precision was recorded) */
  precision?: string
  /** --seeds / --val-images: which design's results to render (results/<profile>-seeds<k>...) */
  seeds?: number
  valImages?: number
}

/** `report`: re-render results/<profile>/ from the cache; nothing trains. */
export async function reportFromCache(opts: ReportOptions): Promise<{rows: RowResult[]; reports: string[]; resultsDir: string}> {
  const base = loadProfile(opts.profile)
  const profile = applyDesign(base, opts)
  const resultsName = resultsNameOf(base, opts)
  checkResultsOwner(resultsDirOf(resultsName), profile.name)
  const runDir = runDirOf(profile.name)
  const last = readLastRun(runDir, resultsName)
  const dataset = await resolveDataset(profile, opts.data ?? last?.data)
  // The cached results are keyed by precision: render the ones asked for, else the last run's.
  const precision: Precision = opts.precision !== undefined ? explicitPrecision(opts.precision) : (last?.provenance.precision ?? 'fp32')
  const {graph} = load(opts.tables, profile, dataset, precision)
  const rows = rowResults(graph, cachedOutcomes(graph))
  const now = gitCommit()
  const provenance: Provenance = last?.provenance
    ? {
        ...last.provenance,
        precision,
        dataset: {path: portableDatasetPath(dataset.root), trainImages: dataset.trainImages, valImages: dataset.valImages, id: dataset.id},
        ...(now !== last.provenance.gitCommit ? {renderedBy: {gitCommit: now, date: new Date().toISOString()}} : {}),
      }
    : {
        profile: profile.name,
        dataset: {path: portableDatasetPath(dataset.root), trainImages: dataset.trainImages, valImages: dataset.valImages, id: dataset.id},
        backend: 'unknown (no run recorded)',
        device: deviceOf(false),
        precision,
        gitCommit: now,
        date: new Date().toISOString(),
      }
  const reports = await report(profile, dataset, {...provenance, ...(seedsOf(profile) > 1 ? {seeds: seedsOf(profile)} : {})}, {resultsName, prediction: last?.prediction})
  return {rows, reports, resultsDir: resultsDirOf(resultsName)}
}

/** A precision named for rendering: `auto` would depend on the machine rendering, so it is refused. */
function explicitPrecision(text: string): Precision {
  const p = parsePrecision(text)
  if (p === 'auto') throw new PrecisionError('--precision auto: name the precision of the results to render (fp32 or bf16)')
  return p
}

export interface LastRun {
  provenance: Provenance
  data?: string
  /** the budget planner's prediction for this design, made when it first started */
  prediction?: Prediction
}

/** runs/<profile>/last-run.json, or last-run-<results name>.json for another design (seeds, val images) of the profile. */
function lastRunFile(runDir: string, resultsName?: string): string {
  const own = resultsName === undefined || resultsName === path.basename(runDir)
  return path.join(runDir, own ? 'last-run.json' : `last-run-${resultsName}.json`)
}

export function saveLastRun(runDir: string, last: LastRun, resultsName?: string): void {
  writeJsonAtomicSync(lastRunFile(runDir, resultsName), last)
}

export function readLastRun(runDir: string, resultsName?: string): LastRun | undefined {
  try {
    return JSON.parse(readFileSync(lastRunFile(runDir, resultsName), 'utf8')) as LastRun
  } catch {
    return undefined
  }
}

function deviceOf(gpu: boolean): string {
  const cpus = os.cpus()
  return gpu ? 'GPU' : `CPU: ${cpus.length} x ${cpus[0]?.model.trim() ?? 'unknown'}`
}

function formatDurationShort(seconds: number): string {
  return seconds < 60 ? `${Math.round(seconds)}s` : `${Math.round(seconds / 60)} min`
}
