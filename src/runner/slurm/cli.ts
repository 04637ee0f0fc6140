// The Slurm commands the executor calls (sbatch, squeue, sacct, scancel), behind an
// interface so tests can count calls; the real one runs the programs on PATH.
import {execFile} from 'node:child_process'
import {promisify} from 'node:util'
import {parseSacct, parseSqueue, type SlurmJobState} from './states.js'

const run = promisify(execFile)

export class SlurmError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SlurmError'
  }
}

export interface SlurmCli {
  /** sbatch --parsable <args>; the new job id */
  sbatch(args: string[]): Promise<string>
  /** states of the given jobs; ids Slurm no longer knows are missing from the map */
  states(ids: string[]): Promise<Map<string, SlurmJobState>>
  cancel(ids: string[]): Promise<void>
}

/** squeue/scancel take comma lists; keep each call's command line modest. */
const CHUNK = 200

function chunks<T>(xs: T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK))
  return out
}

async function call(program: string, args: string[]): Promise<{stdout: string; stderr: string}> {
  try {
    return await run(program, args, {maxBuffer: 16 * 1024 * 1024})
  } catch (error) {
    const e = error as NodeJS.ErrnoException & {stderr?: string}
    if (e.code === 'ENOENT') {
      throw new SlurmError(`${program} is not on PATH: --executor slurm runs on a Slurm login node (or set SLURM_CONF for a local test cluster, see README)`)
    }
    const why = (e.stderr ?? '').trim().split('\n')[0] || e.message.split('\n')[0]
    throw new SlurmError(`${program} ${args[0] ?? ''} failed: ${why}`)
  }
}

export function slurmCli(): SlurmCli {
  return {
    async sbatch(args) {
      const {stdout} = await call('sbatch', ['--parsable', ...args])
      // --parsable prints "<id>" or "<id>;<cluster>"
      const id = /^(\d+)/.exec(stdout.trim())?.[1]
      if (id === undefined) throw new SlurmError(`sbatch printed no job id: "${stdout.trim()}"`)
      return id
    },
    async states(ids) {
      const out = new Map<string, SlurmJobState>()
      for (const part of chunks(ids)) {
        try {
          const {stdout} = await call('squeue', ['-h', '-t', 'all', '-j', part.join(','), '-o', '%i|%T|%r'])
          for (const [k, v] of parseSqueue(stdout)) out.set(k, v)
        } catch (error) {
          // Every id of the call forgotten by slurmctld (older than MinJobAge) is an error to squeue.
          if (!(error instanceof SlurmError) || !/Invalid job id/i.test(error.message)) throw error
        }
      }
      // Finished jobs slurmctld has forgotten: accounting knows them, where there is some.
      const missing = ids.filter((id) => !out.has(id))
      for (const part of chunks(missing)) {
        try {
          const {stdout} = await call('sacct', ['-n', '-X', '-P', '-j', part.join(','), '-o', 'JobID,State,Reason'])
          for (const [k, v] of parseSacct(stdout)) out.set(k, v)
        } catch {
          // No accounting (slurmdbd) on this cluster: those jobs stay unknown.
        }
      }
      return out
    },
    async cancel(ids) {
      for (const part of chunks(ids)) await call('scancel', part)
    },
  }
}
