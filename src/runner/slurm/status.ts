// `vgg-repro status`: every job of the last Slurm submission with its Slurm state
// and what its folder says (result.json: done, error.json: failed). Jobs Slurm
// ended without a word from our code (time limit, out of memory, a crash before
// the job could write error.json) get an error.json saying so, so reports show
// them as failed and their dependents' rows say why.
import {existsSync} from 'node:fs'
import path from 'node:path'
import {readFailure, readRecord, writeFailure} from '../job-store.js'
import type {JobKind} from '../jobs.js'
import {SlurmError, type SlurmCli} from './cli.js'
import {manifestJobIds, readManifest, type Manifest} from './manifest.js'
import {formatState, isActive, isCrashed, type SlurmJobState} from './states.js'

export interface StatusRow {
  key: string
  name: string
  kind: JobKind | 'report'
  /** keys of the jobs it waits for */
  deps: string[]
  jobId?: string
  slurm?: SlurmJobState
  /** from the job folder: cached (finished before the submission), done, failed, or none yet */
  result: 'cached' | 'done' | 'failed' | 'none'
  error?: string
  /** the job's Slurm log */
  log?: string
}

export interface RunStatus {
  manifest: Manifest
  rows: StatusRow[]
  /** jobs (report job included) still queued or running */
  active: number
  /** Slurm states over the submitted jobs, e.g. {COMPLETED: 70, CANCELLED: 7} */
  counts: Record<string, number>
}

export async function runStatus(runDir: string, cli: SlurmCli): Promise<RunStatus | undefined> {
  const manifest = readManifest(runDir)
  if (manifest === undefined) return undefined
  const states = await cli.states(manifestJobIds(manifest))
  const rows: StatusRow[] = manifest.jobs.map((j) => {
    const place = {key: j.key, kind: j.kind, dir: j.dir}
    const slurm = j.jobId === undefined ? undefined : states.get(j.jobId)
    const log = j.jobId === undefined ? undefined : path.join(j.dir, `slurm-${j.jobId}.out`)
    if (j.jobId !== undefined && isCrashed(slurm) && readRecord(place) === undefined && readFailure(place) === undefined) {
      // Slurm 22.05 gives JobLaunchFailure also when the job's process died by a signal.
      const hint = slurm?.reason === 'JobLaunchFailure' ? ' (or its process died by a signal, e.g. a native crash)' : ''
      writeFailure(place, `Slurm job ${j.jobId} ended ${formatState(slurm)}${hint}${log && existsSync(log) ? `; its log: ${log}` : ''}`)
    }
    const record = readRecord(place)
    const failure = record ? undefined : readFailure(place)
    const result = record ? (j.jobId === undefined ? 'cached' : 'done') : failure ? 'failed' : 'none'
    return {key: j.key, name: j.name, kind: j.kind, deps: j.deps, jobId: j.jobId, slurm, result, error: failure?.error, log}
  })
  if (manifest.report) {
    const slurm = states.get(manifest.report.jobId)
    rows.push({key: 'report', name: 'render the reports', kind: 'report', deps: [], jobId: manifest.report.jobId, slurm, result: 'none', log: path.join(manifest.report.dir, `slurm-${manifest.report.jobId}.out`)})
  }
  const counts: Record<string, number> = {}
  let active = 0
  for (const r of rows) {
    if (r.jobId === undefined) continue
    const s = r.slurm?.state ?? 'UNKNOWN'
    counts[s] = (counts[s] ?? 0) + 1
    if (isActive(r.slurm)) active++
  }
  return {manifest, rows, active, counts}
}

/**
 * For `report`: note Slurm-level failures of this profile's last submission, if
 * there is one and Slurm answers; otherwise nothing (a local run, or no squeue here).
 */
export async function noteSlurmFailures(runDir: string, cli: SlurmCli): Promise<void> {
  try {
    await runStatus(runDir, cli)
  } catch (error) {
    if (!(error instanceof SlurmError)) throw error
  }
}

export function formatStatus(s: RunStatus): string {
  const head = ['job', 'key', 'slurm id', 'slurm state', 'result']
  const body = s.rows.map((r) => [r.name, r.key, r.jobId ?? '-', r.jobId === undefined ? '-' : formatState(r.slurm), r.result === 'failed' ? `failed: ${r.error}` : r.result === 'none' ? '-' : r.result])
  // Pad every column but the last (errors are long).
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ')
  const submitted = s.rows.filter((r) => r.jobId !== undefined && r.kind !== 'report').length
  const cached = s.rows.filter((r) => r.result === 'cached').length
  const counts = Object.entries(s.counts)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ')
  return [
    `Slurm run of profile ${s.manifest.profile} (${s.manifest.tables.join(', ')}), submitted ${s.manifest.submittedAt}: ${submitted} jobs submitted, ${cached} were cached`,
    line(head),
    ...body.map(line),
    `Slurm states: ${counts || 'none'}; ${s.active} still queued or running`,
  ].join('\n')
}

export function isRunActive(s: RunStatus): boolean {
  return s.rows.some((r) => isActive(r.slurm))
}
