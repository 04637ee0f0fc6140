// `vgg-repro run-job <key>`: what one Slurm job runs. Reads the job's file, checks
// its parents finished, runs it through the same code as the local runner and
// saves result.json or error.json in its folder.
import {readFailure, readRecord, writeFailure} from '../job-store.js'
import type {Executor} from '../executor.js'
import type {JobOutput} from '../jobs.js'
import {runNode, type JobOutcome} from '../run-graph.js'
import {readJobFile} from './job-file.js'

export interface RunJobOptions {
  executor: Executor
  log: (line: string) => void
  signal?: AbortSignal
}

export async function runJob(runDir: string, key: string, opts: RunJobOptions): Promise<JobOutcome> {
  const {node, deps} = readJobFile(runDir, key)
  const cached = readRecord(node)
  if (cached !== undefined) {
    opts.log(`${node.name} (${key}) already finished at ${cached.finishedAt}; nothing to do`)
    return {state: 'cached', record: cached}
  }
  const outputs = new Map<string, JobOutput>()
  for (const dep of deps) {
    const record = readRecord(dep)
    if (record === undefined) {
      // Slurm started us after our parents (afterok), so a parent's result was removed since.
      const failure = readFailure(dep)
      const error = `needs ${dep.name}, which ${failure ? `failed: ${failure.error}` : `has no result in ${dep.dir}`}`
      writeFailure(node, error)
      return {state: 'failed', error}
    }
    outputs.set(dep.key, record.output)
  }
  opts.log(`running ${node.name} (${key}) in ${node.dir}`)
  let last = -1
  return runNode(node, (k) => outputs.get(k)!, opts.executor, {
    signal: opts.signal,
    onProgress: (fraction, note) => {
      // A line per tenth is plenty in a log file.
      const tenth = Math.floor(fraction * 10)
      if (tenth === last) return
      last = tenth
      opts.log(`${Math.round(fraction * 100)}% ${note}`)
    },
  })
}
