// --wait: poll Slurm until every job of the submission (the report job too) has
// ended, printing each job as it ends.
import {setTimeout as sleep} from 'node:timers/promises'
import type {SlurmCli} from './cli.js'
import {runStatus, type RunStatus} from './status.js'
import {formatState, isActive} from './states.js'

export interface WaitOptions {
  cli: SlurmCli
  log: (line: string) => void
  pollMs?: number
  signal?: AbortSignal
}

export async function waitForRun(runDir: string, opts: WaitOptions): Promise<RunStatus> {
  const seen = new Set<string>()
  for (;;) {
    const status = (await runStatus(runDir, opts.cli))!
    const submitted = status.rows.filter((r) => r.jobId !== undefined)
    for (const r of submitted) {
      if (seen.has(r.jobId!) || isActive(r.slurm)) continue
      seen.add(r.jobId!)
      opts.log(`[${seen.size}/${submitted.length}] ${r.name}: ${formatState(r.slurm)}${r.result === 'failed' ? ` - ${r.error}` : ''}`)
    }
    if (status.active === 0 || opts.signal?.aborted) return status
    await sleep(opts.pollMs ?? 2000)
  }
}
