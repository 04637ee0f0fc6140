// Where a set of numbers came from: enough to rerun it or to tell two reports apart.
import type {Precision} from '../backend/precision.js'
import {duration} from './format.js'
import {markdownTable} from '../util/markdown-table.js'
import type {RowResult} from './row-result.js'

export interface Provenance {
  profile: string
  /** path: relative to the project, or the folder's name (never one machine's absolute path) */
  dataset: {path: string; trainImages: number; valImages: number; id: string}
  backend: string
  device: string
  /** what training and evaluation computed in (absent in runs before it was recorded: fp32) */
  precision?: Precision
  /** why that precision (auto's reason, or "was asked for") */
  precisionReason?: string
  gitCommit: string
  /** ISO date-time of the run (or of the report when re-rendered) */
  date: string
  /** set when `report` re-rendered cached results with other code than the run's (the verdict rules may differ) */
  renderedBy?: {gitCommit: string; date: string}
  /** seeds per net, when more than one (absent: one) */
  seeds?: number
}

export interface JobTime {
  key: string
  kind: string
  wallMs?: number
  /** human-readable name (e.g. "train D S=[73;146]") when the caller knows it */
  name?: string
}

/** Job key -> readable name; keys are hashes of the job's inputs. */
export type JobNames = Readonly<Record<string, string>>

/** Each job once (train jobs are shared between rows and tables), in first-seen order. */
export function jobTimes(rows: readonly RowResult[], names: JobNames = {}): JobTime[] {
  const seen = new Map<string, JobTime>()
  for (const row of rows) {
    for (const j of row.jobs) {
      const prev = seen.get(j.key)
      if (!prev) seen.set(j.key, {key: j.key, kind: j.kind, wallMs: j.wallMs, ...(names[j.key] ? {name: names[j.key]} : {})})
      else if (prev.wallMs === undefined && j.wallMs !== undefined) prev.wallMs = j.wallMs
    }
  }
  return [...seen.values()]
}

export function totalWallMs(jobs: readonly JobTime[]): number {
  return jobs.reduce((a, j) => a + (j.wallMs ?? 0), 0)
}

/** The Markdown header block of every report file. */
export function provenanceMarkdown(p: Provenance, rows: readonly RowResult[]): string {
  const jobs = jobTimes(rows)
  const timed = jobs.filter((j) => j.wallMs !== undefined)
  return markdownTable(
    ['', ''],
    [
      ['profile', `\`${p.profile}\``],
      ['dataset', `\`${p.dataset.path}\` (${p.dataset.trainImages} train / ${p.dataset.valImages} val images, id \`${p.dataset.id}\`)`],
      ['backend', `${p.backend} on ${p.device}`],
      ['git commit', `\`${p.gitCommit}\``],
      ['date', p.date],
      ...(p.seeds !== undefined && p.seeds > 1
        ? [['seeds per net', `${p.seeds}: every row is the mean of its ${p.seeds} nets' errors, each net scored alone; its interval adds the image sample (Wilson) and the spread over the seeds (Student's t), so it is wider than a one-net Wilson interval`]]
        : []),
      ...(p.renderedBy ? [['report re-rendered', `at git commit \`${p.renderedBy.gitCommit}\`, ${p.renderedBy.date} (the numbers are the run's; tables, claims and verdict rules are this commit's)`]] : []),
      ['job time', `${duration(totalWallMs(jobs))} summed over ${timed.length} timed of the ${jobs.length} jobs behind the table rows`],
    ],
  )
}

/** Per-job wall times, collapsed so a long report stays readable. */
export function jobTimesMarkdown(rows: readonly RowResult[], names: JobNames = {}): string {
  const jobs = jobTimes(rows, names)
  if (jobs.length === 0) return '_No jobs recorded._'
  const body = jobs.map((j) => [j.name ?? '', `\`${j.key}\``, j.kind, j.wallMs === undefined ? 'not run' : duration(j.wallMs)])
  return ['<details><summary>Wall time per job</summary>', '', markdownTable(['job', 'key', 'kind', 'wall time'], body, ['l', 'l', 'l', 'r']), '', '</details>'].join('\n')
}
