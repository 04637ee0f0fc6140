// slurm-job.json in a job's folder: the planned job and where its parents keep
// their results, so `run-job <key>` on a compute node runs it without rebuilding
// the graph (which would list the whole dataset again).
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {writeJsonAtomicSync} from '../../util/atomic-write.js'
import type {JobNode} from '../jobs.js'
import {SlurmError} from './cli.js'

const FILE = 'slurm-job.json'

export interface JobFile {
  version: 1
  node: JobNode
  /** the parents: their records are read from their folders */
  deps: {key: string; kind: JobNode['kind']; name: string; dir: string}[]
}

export function writeJobFile(node: JobNode, nodes: Map<string, JobNode>): string {
  const file = path.join(node.dir, FILE)
  const content: JobFile = {
    version: 1,
    node,
    deps: node.deps.map((k) => {
      const d = nodes.get(k)!
      return {key: k, kind: d.kind, name: d.name, dir: d.dir}
    }),
  }
  writeJsonAtomicSync(file, content)
  return file
}

/** The job file of `key` under runDir/jobs/ (folders are named <slug>-<key>). */
export function readJobFile(runDir: string, key: string): JobFile {
  if (!/^[0-9a-f]{16}$/.test(key)) throw new SlurmError(`"${key}" is not a job key (16 hex digits, as \`vgg-repro status\` lists them)`)
  const jobsDir = path.join(runDir, 'jobs')
  const dir = existsSync(jobsDir) ? readdirSync(jobsDir).find((d) => d.endsWith(`-${key}`)) : undefined
  const file = dir === undefined ? undefined : path.join(jobsDir, dir, FILE)
  if (file === undefined || !existsSync(file)) throw new SlurmError(`no job ${key} was submitted in ${runDir} (no ${FILE}); is VGG_REPRO_RUNS the same as where it was submitted?`)
  let parsed: JobFile
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as JobFile
  } catch (error) {
    throw new SlurmError(`${file}: not valid JSON (${(error as Error).message.split('\n')[0]})`)
  }
  if (parsed.version !== 1 || parsed.node?.key !== key) throw new SlurmError(`${file}: not a job file of job ${key}`)
  return parsed
}
