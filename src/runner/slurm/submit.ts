// Submit a job graph to Slurm: one sbatch job per unfinished graph job, each
// waiting (afterok) for its parents' Slurm jobs and cancelled by Slurm when a
// parent fails (--kill-on-invalid-dep=yes), then a report job after all of them
// (afterany). Cached jobs are not submitted. A resubmission keeps the jobs of the
// last one that are still queued or running and submits only what is not finished.
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {SlurmJobKind} from '../../experiments/slurm-resources.js'
import type {Profile} from '../../experiments/types.js'
import {readRecordChecked, removeRecord} from '../job-store.js'
import type {TrainResult} from '../../train/types.js'
import type {JobGraph, JobNode, JobRecord} from '../jobs.js'
import {batchScript} from './batch-script.js'
import type {SlurmCli} from './cli.js'
import {writeJobFile} from './job-file.js'
import {manifestJobIds, readManifest, writeManifest, type Manifest, type ManifestJob} from './manifest.js'
import {resourceArgs, resourcesFor} from './resources.js'
import {isActive} from './states.js'

export interface SubmitGraphOptions {
  graph: JobGraph
  profile: Profile
  /** --profile as the jobs should see it: a name, or an absolute path */
  profileArg: string
  /** the dataset root the graph was built on (for the report job) */
  data: string
  tables: readonly string[]
  backend?: string
  /** further arguments of the report job (e.g. --seeds k: which design's reports it renders) */
  reportArgs?: string[]
  runDir: string
  cli: SlurmCli
  log?: (line: string) => void
  /**
   * Why a cached net's checkpoint cannot be used (after moving it aside), or undefined;
   * checked for cached nets that a job to submit will load, as the local runner does.
   */
  checkCheckpoint?(file: string): Promise<string | undefined>
}

export interface SubmittedJob {
  key: string
  name: string
  kind: JobNode['kind']
  jobId: string
  /** Slurm ids this job waits for (afterok) */
  after: string[]
}

export interface SubmitResult {
  submitted: SubmittedJob[]
  /** still queued or running from the last submission: not submitted again */
  kept: SubmittedJob[]
  /** stale jobs of the last submission cancelled because a parent was resubmitted */
  cancelled: string[]
  cached: number
  /** the report job, when anything runs */
  reportJobId?: string
  manifest: Manifest
}

/** sbatch's --job-name: "vgg-" and the job folder's name without the key. */
function jobName(node: {key: string; dir: string}): string {
  return `vgg-${path.basename(node.dir).replace(new RegExp(`-${node.key}$`), '')}`
}

export async function submitGraph(opts: SubmitGraphOptions): Promise<SubmitResult> {
  const {graph, cli, runDir} = opts
  const log = opts.log ?? (() => {})
  const prev = readManifest(runDir)
  const prevJobs = new Map((prev?.jobs ?? []).map((j) => [j.key, j]))
  const prevStates = prev ? await cli.states(manifestJobIds(prev)) : new Map()
  const activeId = (id: string | undefined) => (id !== undefined && isActive(prevStates.get(id)) ? id : undefined)

  const now = new Date().toISOString()
  const ids = new Map<string, string>()
  const fresh = new Set<string>()
  const jobs: ManifestJob[] = []
  const manifest: Manifest = {
    version: 1,
    profile: opts.profile.name,
    profileArg: opts.profileArg,
    data: opts.data,
    tables: [...opts.tables],
    submittedAt: now,
    jobs,
  }
  const result: SubmitResult = {submitted: [], kept: [], cancelled: [], cached: 0, manifest}

  const cached = await cachedRecords(graph, opts.checkCheckpoint, log)
  try {
    for (const key of graph.order) {
      const node = graph.nodes.get(key)!
      const entry: ManifestJob = {key, name: node.name, kind: node.kind, dir: node.dir, deps: node.deps}
      jobs.push(entry)
      if (cached.has(key)) {
        result.cached++
        continue
      }
      // Parents that are not cached have a Slurm job (submitted above or kept).
      const after = node.deps.map((d) => ids.get(d)).filter((id): id is string => id !== undefined)
      const old = activeId(prevJobs.get(key)?.jobId)
      if (old !== undefined && !node.deps.some((d) => fresh.has(d))) {
        ids.set(key, old)
        Object.assign(entry, {jobId: old, submittedAt: prevJobs.get(key)!.submittedAt})
        result.kept.push({key, name: node.name, kind: node.kind, jobId: old, after})
        continue
      }
      if (old !== undefined) {
        // It waits for a parent's old job, which is being replaced.
        await cli.cancel([old])
        result.cancelled.push(old)
      }
      // The error of an earlier attempt no longer describes this one.
      rmSync(path.join(node.dir, 'error.json'), {force: true})
      writeJobFile(node, graph.nodes)
      const script = path.join(node.dir, 'slurm-job.sh')
      const resources = resourcesFor(node.kind, opts.profile.slurm)
      const args = ['run-job', key, '--profile', opts.profileArg, ...(opts.backend ? ['--backend', opts.backend] : [])]
      writeFileSync(script, batchScript({title: `${node.name} (job ${key})`, setup: resources.setup ?? [], args}), {mode: 0o755})
      const jobId = await cli.sbatch([
        `--job-name=${jobName(node)}`,
        `--output=${path.join(node.dir, 'slurm-%j.out')}`,
        `--chdir=${node.dir}`,
        ...(after.length > 0 ? [`--dependency=afterok:${after.join(':')}`] : []),
        '--kill-on-invalid-dep=yes',
        ...resourceArgs(resources),
        script,
      ])
      ids.set(key, jobId)
      fresh.add(key)
      Object.assign(entry, {jobId, submittedAt: new Date().toISOString()})
      result.submitted.push({key, name: node.name, kind: node.kind, jobId, after})
      log(`submitted ${node.name}: Slurm job ${jobId}${after.length > 0 ? ` after ${after.join(',')}` : ''}`)
    }

    // Jobs of the last submission outside this graph (another table) that still run.
    for (const j of prev?.jobs ?? []) {
      if (!graph.nodes.has(j.key) && activeId(j.jobId) !== undefined) jobs.push(j)
    }

    const oldReport = activeId(prev?.report?.jobId)
    if (oldReport !== undefined) {
      await cli.cancel([oldReport])
      result.cancelled.push(oldReport)
    }
    // Every job of this graph that runs (submitted or kept), and the carried-over ones.
    const waitFor = [...ids.values(), ...jobs.filter((j) => !graph.nodes.has(j.key)).map((j) => j.jobId!)]
    if (waitFor.length > 0) {
      const dir = path.join(runDir, 'slurm-report')
      const resources = resourcesFor('report' satisfies SlurmJobKind, opts.profile.slurm)
      const script = path.join(dir, 'slurm-report.sh')
      mkdirSync(dir, {recursive: true})
      writeFileSync(script, batchScript({title: `reports of profile ${opts.profile.name}`, setup: resources.setup ?? [], args: ['report', '--profile', opts.profileArg, '--data', opts.data, ...(opts.reportArgs ?? [])]}), {mode: 0o755})
      const jobId = await cli.sbatch([
        `--job-name=vgg-report`,
        `--output=${path.join(dir, 'slurm-%j.out')}`,
        `--chdir=${dir}`,
        `--dependency=afterany:${waitFor.join(':')}`,
        ...resourceArgs(resources),
        script,
      ])
      manifest.report = {jobId, dir}
      result.reportJobId = jobId
      log(`submitted the report job: Slurm job ${jobId}, after all others end`)
    }
  } finally {
    // Also after a failed sbatch: what was submitted is on record for status, cancel and a rerun.
    writeManifest(runDir, manifest)
  }
  return result
}

/** Finished jobs; a record found unusable is named, a corrupt net that a job to run would load is retrained. */
async function cachedRecords(graph: JobGraph, checkCheckpoint: SubmitGraphOptions['checkCheckpoint'], log: (line: string) => void): Promise<Map<string, JobRecord>> {
  const out = new Map<string, JobRecord>()
  for (const key of graph.order) {
    const node = graph.nodes.get(key)!
    const read = readRecordChecked(node)
    if (read.problem !== undefined) log(read.problem)
    if (read.record !== undefined) out.set(key, read.record)
  }
  const feedsPending = new Set<string>()
  for (const node of graph.nodes.values()) if (!out.has(node.key)) for (const d of node.deps) feedsPending.add(d)
  for (const key of graph.order) {
    const node = graph.nodes.get(key)!
    const record = out.get(key)
    if (record === undefined || node.kind !== 'train' || !feedsPending.has(key) || checkCheckpoint === undefined) continue
    const problem = await checkCheckpoint((record.output as TrainResult).checkpoint)
    if (problem === undefined) continue
    log(`${problem}; training ${node.name} again`)
    removeRecord(node)
    // Trained again (deterministic: the same net); its finished dependents stay cached, as locally.
    out.delete(key)
  }
  return out
}
