import {Args, Command, Flags} from '@oclif/core'
import os from 'node:os'
import {backendFlag} from '../cli/backend-flag.js'
import {loadProfile} from '../experiments/profile.js'
import {runDirOf} from '../runner/paths.js'
import type {JobOutcome} from '../runner/run-graph.js'
import {runJob} from '../runner/slurm/run-job.js'
import {EXIT_CODES, failIfUserError} from '../cli/errors.js'
import {announceFinished, isNativeFault, runSupervised} from '../cli/supervise.js'

export default class RunJob extends Command {
  static description = `Run one job of a submitted graph (what each Slurm job of --executor slurm runs).
Reads runs/<profile>/jobs/*-<key>/slurm-job.json, checks the job's parents finished, runs it and
writes its result.json (exit 0) or error.json (exit 1, so Slurm cancels its dependents).
SIGTERM (scancel, time limit) checkpoints a training job; a resubmission resumes it.`

  static hidden = true
  static examples = ['<%= config.bin %> run-job 1994e31dac87e130 --profile smoke']
  static args = {key: Args.string({description: 'the job key (16 hex digits)', required: true})}
  static flags = {
    profile: Flags.string({description: 'the profile the job was submitted with (name or path)', default: 'subset'}),
    backend: backendFlag,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(RunJob)
    await runSupervised()
    const log = (line: string) => this.log(`[${new Date().toISOString()}] ${line}`)
    let outcome: JobOutcome
    try {
      const runDir = runDirOf(loadProfile(flags.profile).name)
      const {initBackend, slowBackendWarning} = await import('../backend/backend.js')
      const backend = await initBackend(flags.backend)
      log(`host ${os.hostname()}, backend ${backend.backend} (TensorFlow ${backend.tfVersion})${backend.gpu ? ', GPU' : ''}, Slurm job ${process.env.SLURM_JOB_ID ?? '-'}`)
      const warning = slowBackendWarning(backend)
      if (warning) log(warning)
      const {realExecutor} = await import('../runner/real-executor.js')
      // Slurm sends SIGTERM on scancel and at the time limit (SIGKILL follows after KillWait),
      // to every process of the job: the supervisor passes it on too, so a repeat is ignored.
      const controller = new AbortController()
      const stop = () => {
        if (controller.signal.aborted) return
        log('SIGTERM/SIGINT: stopping after a checkpoint')
        controller.abort()
      }
      process.on('SIGTERM', stop)
      process.on('SIGINT', stop)
      outcome = await runJob(runDir, args.key, {executor: realExecutor({progressBars: false}), log, signal: controller.signal})
    } catch (error) {
      return failIfUserError(this, error)
    }
    if (outcome.state === 'done' || outcome.state === 'cached') {
      announceFinished(0)
      log(`done${outcome.record ? ` in ${(outcome.record.wallMs / 1000).toFixed(1)} s` : ''}`)
      return
    }
    log(outcome.state === 'failed' ? `failed: ${outcome.error}` : 'interrupted; the last checkpoint is kept and a resubmission resumes from it')
    if (outcome.state === 'failed' && isNativeFault(outcome.error)) this.exit(EXIT_CODES.nativeFault)
    announceFinished(EXIT_CODES.failed)
    this.exit(EXIT_CODES.failed)
  }
}
