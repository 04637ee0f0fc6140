// `all` / `table3..6 --executor slurm`: the same files, data and graph as a local
// run, submitted to Slurm instead of run here. Holds the runs folder's lock only
// while submitting; the jobs themselves coordinate through Slurm's dependencies.
import path from 'node:path'
import {loadProfile} from '../../experiments/profile.js'
import {loadTables} from '../../experiments/tables.js'
import type {TableName} from '../../experiments/types.js'
import {setAsideIfCorrupt} from '../../train/corrupt-checkpoint.js'
import {portableDatasetPath, resolveDataset} from '../dataset.js'
import type {DatasetInfo, JobGraph} from '../jobs.js'
import {acquireLock} from '../lock.js'
import {resultsDirOf, runDirOf} from '../paths.js'
import {gitCommit} from '../git-commit.js'
import {initBackend} from '../../backend/backend.js'
import {resolvePrecisionChoice} from '../../backend/host-precision.js'
import {parsePrecision} from '../../backend/precision.js'
import {load, readLastRun, reportFromCache, saveLastRun, type TablesRequest} from '../run-tables.js'
import {applyDesign, checkResultsOwner, designArgs, resultsNameOf, seedsOf} from '../seeds.js'
import {predictDesign} from '../budget/prediction.js'
import {checkWritable} from '../writable.js'
import {slurmCli, type SlurmCli} from './cli.js'
import {resourcesFor} from './resources.js'
import {submitGraph, type SubmitResult} from './submit.js'

export interface SubmitTablesOptions extends TablesRequest {
  cli?: SlurmCli
}

export interface SubmitTablesResult extends SubmitResult {
  profile: string
  runDir: string
  dataset: DatasetInfo
  graph: JobGraph
  /** reports rendered here because nothing was left to run */
  reports: string[]
  /** where the reports go (results/<profile>[-seeds<k>]) */
  resultsDir: string
}

/** A profile path is made absolute: the jobs start in their own folders. */
export function profileArgOf(profile: string): string {
  return profile.includes('/') || profile.includes(path.sep) || /\.ya?ml$/.test(profile) ? path.resolve(profile) : profile
}

export async function submitTables(opts: SubmitTablesOptions): Promise<SubmitTablesResult> {
  const base = loadProfile(opts.profile)
  // --seeds k: the seeds of every net are independent jobs, side by side in Slurm (each seed's chain waits only for itself).
  const profile = applyDesign(base, opts)
  const resultsName = resultsNameOf(base, opts)
  loadTables(opts.tables)
  checkWritable(runDirOf(profile.name), 'the runs folder', 'set VGG_REPRO_RUNS to a writable folder')
  checkWritable(resultsDirOf(resultsName), 'the results folder', 'set VGG_REPRO_RESULTS to a writable folder')
  checkResultsOwner(resultsDirOf(resultsName), profile.name)
  if (opts.precision !== undefined) parsePrecision(opts.precision)
  const dataset = await resolveDataset(profile, opts.data, {log: opts.progress})
  // Every job runs at the precision resolved here, on the submitting machine: its key says
  // so. For GPU nodes unlike this machine, pass --precision (README, Slurm).
  await initBackend(opts.backend)
  const precision = resolvePrecisionChoice(opts.precision, profile.precision)
  opts.progress(`precision ${precision.precision} for every job (${precision.reason}; resolved on this machine)`)
  const {graph, claims} = load(opts.tables, profile, dataset, precision.precision)
  const runDir = runDirOf(profile.name)
  const cli = opts.cli ?? slurmCli()
  const lock = acquireLock(runDir)
  try {
    const result = await submitGraph({
      graph,
      profile,
      profileArg: profileArgOf(opts.profile),
      data: dataset.root,
      tables: opts.tables,
      backend: opts.backend,
      reportArgs: designArgs(opts),
      runDir,
      cli,
      log: opts.progress,
      checkCheckpoint: setAsideIfCorrupt,
    })
    const train = resourcesFor('train', profile.slurm)
    const prediction = resultsName === profile.name ? undefined : (readLastRun(runDir, resultsName)?.prediction ?? predictDesign(profile, claims, graph, resultsName))
    saveLastRun(runDir, {
      provenance: {
        profile: profile.name,
        dataset: {path: portableDatasetPath(dataset.root), trainImages: dataset.trainImages, valImages: dataset.valImages, id: dataset.id},
        backend: `chosen by each Slurm job (${opts.backend ?? 'auto'}; see the jobs' slurm-<id>.out)`,
        device: `Slurm cluster; train jobs asked for ${train.gres ? `--gres=${train.gres}` : 'no GPU'}${train.cpusPerTask ? `, ${train.cpusPerTask} CPUs` : ''}`,
        precision: precision.precision,
        precisionReason: precision.reason,
        gitCommit: gitCommit(),
        date: new Date().toISOString(),
        ...(seedsOf(profile) > 1 ? {seeds: seedsOf(profile)} : {}),
      },
      data: dataset.root,
      ...(prediction !== undefined ? {prediction} : {}),
    }, resultsName)
    let reports: string[] = []
    if (result.reportJobId === undefined) {
      // Nothing to run: the reports are rendered here and now.
      lock.release()
      reports = (await reportFromCache({profile: opts.profile, data: dataset.root, tables: opts.tables, precision: precision.precision, seeds: opts.seeds, valImages: opts.valImages})).reports
    }
    return {...result, profile: profile.name, runDir, dataset, graph, reports, resultsDir: resultsDirOf(resultsName)}
  } finally {
    lock.release()
  }
}
