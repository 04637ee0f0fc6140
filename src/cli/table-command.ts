// Shared body of the commands table3..table6 and all (flags, plan / run, printing)
// and the flags of plan, report, status and cancel. Lives here because every file
// under src/commands/ is a command.
import {Flags, type Command} from '@oclif/core'
import {backendFlag} from './backend-flag.js'
import {precisionFlag} from './precision-flag.js'
import {EXIT_CODES, failIfUserError} from './errors.js'
import {abortOnSigint} from './interrupt.js'
import {announceFinished, isNativeFault, runSupervised} from './supervise.js'
import {ExperimentFileError} from '../experiments/errors.js'
import type {TableName} from '../experiments/types.js'
import {displayPath} from '../experiments/paths.js'
import {renderTerminal} from '../report/index.js'
import {formatDuration} from '../runner/plan.js'
import {formatPlan, planTables, runTables, type RunTablesResult} from '../runner/run-tables.js'
import {refuseIfSlurmRunActive} from '../runner/slurm/guard.js'
import type {SlurmCommandResult} from './slurm-command.js'
import type {Plan} from '../runner/plan.js'
import {formatBudgetPlan, planBudget, type BudgetPlan} from '../runner/budget/budget-plan.js'
import type {RunDesign} from '../runner/seeds.js'

export const tableFlags = {
  profile: Flags.string({description: 'profile: paper, subset, smoke, or a path to a profile .yaml', default: 'subset'}),
  subset: Flags.boolean({description: 'shorthand for --profile subset', default: false}),
  data: Flags.string({description: "ImageFolder dataset root (train/<class>/*, val/<class>/*); default: the profile's dataset"}),
  'dry-run': Flags.boolean({description: 'print the job graph with estimated costs (like `plan`) and exit', default: false}),
  backend: backendFlag,
  precision: precisionFlag,
  executor: Flags.string({
    description: 'where the jobs run: local (here, one after another) or slurm (one sbatch job per job, see README)',
    options: ['local', 'slurm'],
    default: 'local',
  }),
  wait: Flags.boolean({description: 'with --executor slurm: wait for every job to end, then print the tables', default: false}),
  seeds: Flags.integer({description: "train every net k times (seed i of B-E from seed i of A, and so on); rows are seed means, each comparison's training noise its own; reports in results/<profile>-seeds<k>/ (default: the profile's seeds, else 1)"}),
  'val-images': Flags.integer({description: "score n class-balanced val images instead of the profile's maxValImages"}),
  budget: Flags.string({description: 'a wall-time budget (90m, 8h, 48h, 2d): run the design (seeds per net, val images) that `plan --budget` chooses for it'}),
}

export interface TableFlags {
  profile: string
  subset: boolean
  data?: string
  'dry-run': boolean
  backend?: string
  precision?: string
  executor?: string
  wait?: boolean
  seeds?: number
  'val-images'?: number
  budget?: string
}

/** --seeds and --val-images as given, or what --budget chooses (announced on stderr). */
async function designOf(flags: TableFlags, tables: readonly TableName[], profile: string): Promise<RunDesign> {
  if (flags.budget === undefined) return {seeds: flags.seeds, valImages: flags['val-images']}
  const b = await planBudget({tables, profile, data: flags.data, backend: flags.backend, precision: flags.precision, budget: flags.budget})
  process.stderr.write(`${formatBudgetPlan(b).split('\n').slice(0, 5).join('\n')}\n`)
  return {seeds: b.design.seeds, valImages: b.design.valImagesOverride}
}

export function profileOf(flags: Pick<TableFlags, 'profile' | 'subset'>): string {
  if (flags.subset && flags.profile !== 'subset') {
    throw new ExperimentFileError(`--subset and --profile ${flags.profile} disagree: give one of them`)
  }
  return flags.subset ? 'subset' : flags.profile
}

export type TableCommandResult = ({kind: 'plan'} & Plan) | BudgetPlan | ({kind: 'run'} & RunTablesResult) | ({kind: 'slurm'} & SlurmCommandResult)

export async function tableCommand(cmd: Command, tables: readonly TableName[], flags: TableFlags, json: boolean): Promise<TableCommandResult> {
  try {
    const profile = profileOf(flags)
    if (flags.budget !== undefined && (flags.seeds !== undefined || flags['val-images'] !== undefined)) {
      throw new ExperimentFileError('--budget chooses the seeds per net and the val images itself: give --budget or --seeds / --val-images')
    }
    if (flags['dry-run'] && flags.budget !== undefined) {
      const b = await planBudget({tables, profile, data: flags.data, backend: flags.backend, precision: flags.precision, budget: flags.budget})
      cmd.log(formatBudgetPlan(b))
      return b
    }
    if (flags['dry-run']) {
      const plan = await planTables({tables, profile, data: flags.data, backend: flags.backend, precision: flags.precision, seeds: flags.seeds, valImages: flags['val-images']})
      cmd.log(formatPlan(plan))
      return {kind: 'plan', ...plan}
    }
    if (flags.executor === 'slurm') {
      const {slurmTableCommand, slurmRunFailed} = await import('./slurm-command.js')
      const result = await slurmTableCommand(cmd, tables, {profile, data: flags.data, backend: flags.backend, precision: flags.precision, wait: flags.wait ?? false, ...(await designOf(flags, tables, profile))})
      if (slurmRunFailed(result) && !json) cmd.exit(EXIT_CODES.failed)
      return {kind: 'slurm', ...result}
    }
    if (flags.wait) throw new ExperimentFileError('--wait goes with --executor slurm (a local run always waits)')
    await runSupervised()
    await refuseIfSlurmRunActive(profile)
    const tty = process.stderr.isTTY === true && !json
    const design = await designOf(flags, tables, profile)
    const sigint = abortOnSigint(() => process.stderr.write('\nstopping after the current job saves a checkpoint (Ctrl-C again to quit now)\n'))
    let result: RunTablesResult
    try {
      result = await runTables({
        tables,
        profile,
        data: flags.data,
        backend: flags.backend,
        precision: flags.precision,
        ...design,
        log: (line) => cmd.log(line),
        progress: (line) => process.stderr.write(`${line}\n`),
        tty,
        signal: sigint.signal,
      })
    } finally {
      sigint.dispose()
    }
    printRun(cmd, result, tables)
    const code = runExitCode(result, json)
    if (!result.interrupted && result.rows.some((r) => r.status === 'failed' && isNativeFault(r.error))) {
      // a fresh process runs the failed jobs again (finished ones are cached)
      cmd.logToStderr('vgg-repro: a job failed inside TensorFlow (a native fault, see docs/reliability.md)')
      process.exitCode = EXIT_CODES.nativeFault
      return {kind: 'run', ...result}
    }
    announceFinished(code)
    if (code !== 0 && json) process.exitCode = code
    else if (code !== 0) cmd.exit(code)
    return {kind: 'run', ...result}
  } catch (error) {
    return failIfUserError(cmd, error)
  }
}

/**
 * 130 interrupted; 1 when the reports could not be written (whatever the output
 * mode: the run's point is the reports) or, outside --json, when rows failed
 * (they are in the reports; the status tells scripts and CI); else 0.
 */
export function runExitCode(r: Pick<RunTablesResult, 'interrupted' | 'reportError' | 'counts'>, json: boolean): number {
  if (r.interrupted) return EXIT_CODES.interrupted
  if (r.reportError !== undefined) return EXIT_CODES.failed
  return r.counts.failed > 0 && !json ? EXIT_CODES.failed : 0
}

function printRun(cmd: Command, r: RunTablesResult, tables: readonly TableName[]): void {
  const ran = r.ran.train + r.ran.eval + r.ran.combine
  cmd.log(
    `${r.interrupted ? 'Interrupted' : 'Done'} in ${formatDuration(r.wallMs / 1000)}: ran ${ran} jobs (${r.ran.train} train, ${r.ran.eval} eval, ${r.ran.combine} combine), ${r.counts.cached} cached, ${r.counts.failed} failed, ${r.counts.pending} pending`,
  )
  cmd.log(renderTerminal(r.rows.filter((row) => tables.includes(row.table))))
  for (const row of r.rows.filter((x) => x.status === 'failed')) cmd.log(`failed ${row.table}/${row.id}: ${row.error}`)
  if (r.reports.length > 0) {
    const summary = r.reports.find((f) => f.endsWith('summary.md'))
    cmd.log(`Reports in ${displayPath(r.resultsDir)}/ (${r.reports.length} files)${summary ? `: start with ${displayPath(summary)}` : ''}`)
  }
}
