// `all` / `table3..6 --executor slurm [--wait]`: submit, print what went where, and
// with --wait follow the jobs to the end and print the tables like a local run.
import type {Command} from '@oclif/core'
import {displayPath} from '../experiments/paths.js'
import type {RowResult, TableName} from '../experiments/types.js'
import {renderTerminal} from '../report/index.js'
import {designArgs} from '../runner/seeds.js'
import {cachedOutcomes, rowResults} from '../runner/row-results.js'
import {slurmCli, type SlurmCli} from '../runner/slurm/cli.js'
import type {RunStatus} from '../runner/slurm/status.js'
import {submitTables} from '../runner/slurm/submit-tables.js'
import {waitForRun} from '../runner/slurm/wait.js'
import {abortOnSigint} from './interrupt.js'

export interface SlurmCommandFlags {
  profile: string
  data?: string
  backend?: string
  precision?: string
  /** --seeds / --val-images (or what --budget chose) */
  seeds?: number
  valImages?: number
  wait: boolean
}

export interface SlurmCommandResult {
  profile: string
  submitted: {key: string; name: string; kind: string; jobId: string; after: string[]}[]
  kept: {key: string; name: string; jobId: string}[]
  cancelled: string[]
  cached: number
  reportJobId?: string
  /** with --wait: the final Slurm states and the rows */
  status?: Pick<RunStatus, 'counts' | 'rows'>
  rows?: RowResult[]
  resultsDir: string
}

export async function slurmTableCommand(cmd: Command, tables: readonly TableName[], flags: SlurmCommandFlags, cli: SlurmCli = slurmCli()): Promise<SlurmCommandResult> {
  const progress = (line: string) => process.stderr.write(`${line}\n`)
  const r = await submitTables({tables, profile: flags.profile, data: flags.data, backend: flags.backend, precision: flags.precision, seeds: flags.seeds, valImages: flags.valImages, log: (l) => cmd.log(l), progress, cli})
  const byKind = (k: string) => r.submitted.filter((j) => j.kind === k).length
  const p = r.profile
  const result: SlurmCommandResult = {
    profile: p,
    submitted: r.submitted,
    kept: r.kept.map(({key, name, jobId}) => ({key, name, jobId})),
    cancelled: r.cancelled,
    cached: r.cached,
    reportJobId: r.reportJobId,
    resultsDir: r.resultsDir,
  }
  cmd.log(
    `Submitted ${r.submitted.length} Slurm jobs (${byKind('train')} train, ${byKind('eval')} eval, ${byKind('combine')} combine); ` +
      `${r.kept.length} still queued or running from the last submission kept; ${r.cached} cached`,
  )
  if (r.reportJobId === undefined) {
    cmd.log(`Nothing to run: reports in ${displayPath(r.resultsDir)}/ (${r.reports.length} files)`)
    return result
  }
  const profileFlag = p === 'subset' ? '' : ` --profile ${flags.profile}`
  const designFlags = designArgs(flags).map((a) => ` ${a}`).join('')
  cmd.log(`Report job ${r.reportJobId} writes ${displayPath(r.resultsDir)}/ when all have ended.`)
  cmd.log(`Follow: vgg-repro status${profileFlag}    cancel all: vgg-repro cancel${profileFlag}`)
  if (!flags.wait) return result

  const sigint = abortOnSigint(() => progress('stopped waiting; the jobs go on in Slurm'))
  let status: RunStatus
  try {
    status = await waitForRun(r.runDir, {cli, log: progress, signal: sigint.signal})
  } finally {
    sigint.dispose()
  }
  const rows = rowResults(r.graph, cachedOutcomes(r.graph))
  result.status = {counts: status.counts, rows: status.rows}
  result.rows = rows
  cmd.log(`Slurm states: ${Object.entries(status.counts).map(([k, v]) => `${v} ${k}`).join(', ')}`)
  cmd.log(renderTerminal(rows.filter((row) => tables.includes(row.table))))
  for (const row of rows.filter((x) => x.status === 'failed' && tables.includes(x.table))) cmd.log(`failed ${row.table}/${row.id}: ${row.error}`)
  const report = status.rows.find((x) => x.kind === 'report')
  if (report && report.slurm?.state !== 'COMPLETED') cmd.log(`the report job ended ${report.slurm?.state ?? 'unknown'} (log: ${report.log}); rerun \`vgg-repro report${profileFlag}${designFlags}\``)
  return result
}

/** A waited run failed: some job failed, or the report job did not complete. */
export function slurmRunFailed(r: SlurmCommandResult): boolean {
  if (r.status === undefined) return false
  return r.status.rows.some((x) => x.result === 'failed' || (x.kind === 'report' && x.slurm?.state !== 'COMPLETED'))
}
