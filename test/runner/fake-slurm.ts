// An in-memory Slurm for the executor's tests: sbatch records the options and the
// script, states/cancel answer like squeue/scancel, and runAll plays the scheduler
// (jobs in submission order, afterok / afterany, --kill-on-invalid-dep) running each
// job's `run-job` with a given executor.
import {readFileSync} from 'node:fs'
import type {Executor} from '../../src/runner/executor.js'
import type {SlurmCli} from '../../src/runner/slurm/cli.js'
import {runJob} from '../../src/runner/slurm/run-job.js'
import type {SlurmJobState} from '../../src/runner/slurm/states.js'

export interface FakeJob {
  id: string
  args: string[]
  script: string
  afterok: string[]
  afterany: string[]
  state: SlurmJobState
}

export class FakeSlurm implements SlurmCli {
  jobs = new Map<string, FakeJob>()
  cancelCalls: string[][] = []
  private next = 1

  async sbatch(args: string[]): Promise<string> {
    const id = String(this.next++)
    const dep = args.find((a) => a.startsWith('--dependency='))?.slice('--dependency='.length) ?? ''
    const list = (kind: string) => (dep.startsWith(`${kind}:`) ? dep.slice(kind.length + 1).split(':') : [])
    this.jobs.set(id, {id, args, script: args[args.length - 1], afterok: list('afterok'), afterany: list('afterany'), state: {state: 'PENDING', reason: dep ? 'Dependency' : ''}})
    return id
  }

  async states(ids: string[]): Promise<Map<string, SlurmJobState>> {
    return new Map(ids.filter((id) => this.jobs.has(id)).map((id) => [id, {...this.jobs.get(id)!.state}]))
  }

  async cancel(ids: string[]): Promise<void> {
    this.cancelCalls.push(ids)
    for (const id of ids) {
      const j = this.jobs.get(id)
      if (j && (j.state.state === 'PENDING' || j.state.state === 'RUNNING')) j.state = {state: 'CANCELLED', reason: ''}
    }
  }

  set(id: string, state: string, reason = ''): void {
    this.jobs.get(id)!.state = {state, reason}
  }

  /** Run every pending job like the scheduler would; the report job just completes. */
  async runAll(runDir: string, executor: Executor): Promise<void> {
    for (const j of [...this.jobs.values()].sort((a, b) => Number(a.id) - Number(b.id))) {
      if (j.state.state !== 'PENDING') continue
      if (j.afterok.some((d) => this.jobs.get(d)?.state.state !== 'COMPLETED')) {
        j.state = {state: 'CANCELLED', reason: 'DependencyNeverSatisfied'}
        continue
      }
      const key = /run-job (\w+)/.exec(readFileSync(j.script, 'utf8'))?.[1]
      if (key === undefined) {
        j.state = {state: 'COMPLETED', reason: ''}
        continue
      }
      const outcome = await runJob(runDir, key, {executor, log: () => {}})
      j.state = outcome.state === 'done' || outcome.state === 'cached' ? {state: 'COMPLETED', reason: ''} : {state: 'FAILED', reason: 'NonZeroExitCode'}
    }
  }
}
