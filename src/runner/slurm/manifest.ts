// runs/<profile>/slurm-run.json: what the last `--executor slurm` submission sent
// to Slurm (job ids per graph job, the report job), for `status`, `cancel`, a
// resubmission and the report job. Cached jobs are listed without an id.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {writeJsonAtomicSync} from '../../util/atomic-write.js'
import type {JobKind} from '../jobs.js'
import {SlurmError} from './cli.js'

export interface ManifestJob {
  key: string
  name: string
  kind: JobKind
  dir: string
  deps: string[]
  /** Slurm job id; absent for a job that was cached when submitted */
  jobId?: string
  submittedAt?: string
}

export interface Manifest {
  version: 1
  profile: string
  /** as given to --profile (a name or an absolute path), for the jobs' command lines */
  profileArg: string
  data: string
  tables: string[]
  submittedAt: string
  jobs: ManifestJob[]
  /** the job that renders the reports when every other has ended */
  report?: {jobId: string; dir: string}
}

export function manifestPath(runDir: string): string {
  return path.join(runDir, 'slurm-run.json')
}

export function readManifest(runDir: string): Manifest | undefined {
  let text: string
  try {
    text = readFileSync(manifestPath(runDir), 'utf8')
  } catch {
    return undefined
  }
  try {
    const m = JSON.parse(text) as Manifest
    if (m.version === 1 && Array.isArray(m.jobs)) return m
  } catch {
    // reported below
  }
  throw new SlurmError(`${manifestPath(runDir)} is not a Slurm run record of this version; delete it if no jobs of it are queued`)
}

export function writeManifest(runDir: string, m: Manifest): void {
  writeJsonAtomicSync(manifestPath(runDir), m)
}

/** Every Slurm job id of the run, the report job last. */
export function manifestJobIds(m: Manifest): string[] {
  const ids = m.jobs.map((j) => j.jobId).filter((id): id is string => id !== undefined)
  return m.report ? [...ids, m.report.jobId] : ids
}
