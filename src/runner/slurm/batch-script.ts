// The batch script of one Slurm job: the profile's setup lines, the vgg-repro
// settings of the submitting shell (runs folder, caches, backend), then this
// installation's CLI. Compute nodes must see the same paths (a shared file system).
import path from 'node:path'
import {projectRoot} from '../../experiments/paths.js'
import {vggReproEnv} from '../../util/env.js'
import {runsRoot} from '../paths.js'

export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`
}

/** VGG_REPRO_* of this process, with the runs folder made absolute (jobs start elsewhere). */
export function forwardedEnv(env: NodeJS.ProcessEnv = process.env): [string, string][] {
  const out = new Map<string, string>(vggReproEnv(env))
  out.set('VGG_REPRO_RUNS', runsRoot())
  if (out.has('VGG_REPRO_RESULTS')) out.set('VGG_REPRO_RESULTS', path.resolve(out.get('VGG_REPRO_RESULTS')!))
  if (out.has('VGG_REPRO_CACHE')) out.set('VGG_REPRO_CACHE', path.resolve(out.get('VGG_REPRO_CACHE')!))
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1))
}

export interface ScriptOptions {
  title: string
  setup: string[]
  /** vgg-repro arguments, e.g. ['run-job', key, '--profile', 'smoke'] */
  args: string[]
  env?: [string, string][]
}

export function batchScript(opts: ScriptOptions): string {
  const cli = [process.execPath, path.join(projectRoot(), 'bin', 'run.js'), ...opts.args].map(shellQuote).join(' ')
  return [
    '#!/bin/bash',
    `# ${opts.title.replace(/\n/g, ' ')}: written by vgg-repro --executor slurm`,
    'set -e',
    ...opts.setup,
    ...(opts.env ?? forwardedEnv()).map(([k, v]) => `export ${k}=${shellQuote(v)}`),
    `exec ${cli}`,
    '',
  ].join('\n')
}
