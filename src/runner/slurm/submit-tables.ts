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
import {load, reportFromCache, saveLastRun, type TablesRequest} from '../run-tables.js'
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
}

/** A profile path is made absolute: the jobs start in their own folders. */
export function profileArgOf(profile: string): string {
  return profile.includes('/') || profile.includes(path.sep) || /\.ya?ml$/.test(profile) ? path.resolve(profile) : profile
}

export async function submitTables(opts: SubmitTablesOptions): Promise<SubmitTablesResult> {
  const profile = loadProfile(opts.profile)
  loadTables(opts.tables)
  checkWritable(runDirOf(profile.name), 'the runs folder', 'set VGG_REPRO_RUNS to a writable folder')
  checkWritable(resultsDirOf(profile.name), 'the results folder', 'set VGG_REPRO_RESULTS to a writable folder')
  const dataset = await resolveDataset(profile, opts.data, {log: opts.progress})
  const {graph} = load(opts.tables, profile, dataset)
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
      runDir,
      cli,
      log: opts.progress,
      checkCheckpoint: setAsideIfCorrupt,
    })
    const train = resourcesFor('train', profile.slurm)
    saveLastRun(runDir, {
      provenance: {
        profile: profile.name,
        dataset: {path: portableDatasetPath(dataset.root), trainImages: dataset.trainImages, valImages: dataset.valImages, id: dataset.id},
        backend: `chosen by each Slurm job (${opts.backend ?? 'auto'}; see the jobs' slurm-<id>.out)`,
        device: `Slurm cluster; train jobs asked for ${train.gres ? `--gres=${train.gres}` : 'no GPU'}${train.cpusPerTask ? `, ${train.cpusPerTask} CPUs` : ''}`,
        gitCommit: gitCommit(),
        date: new Date().toISOString(),
      },
      data: dataset.root,
    })
    let reports: string[] = []
    if (result.reportJobId === undefined) {
      // Nothing to run: the reports are rendered here and now.
      lock.release()
      reports = (await reportFromCache({profile: opts.profile, data: dataset.root, tables: opts.tables})).reports
    }
    return {...result, profile: profile.name, runDir, dataset, graph, reports}
  } finally {
    lock.release()
  }
}
