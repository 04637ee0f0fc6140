// The on-disk job cache: <job dir>/result.json marks a finished job (written
// atomically, last); <job dir>/error.json remembers the last failure for reports.
// Output paths are stored relative to the job's folder (inside the runs folder), so
// moving the runs folder keeps the cache. A record that is not a complete record of
// its job (null, no output, a missing file) means the job runs again.
import {existsSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import type {JobNode, JobRecord} from './jobs.js'
import {writeJsonAtomicSync as writeJsonAtomic} from '../util/atomic-write.js'
import {isInside} from './paths.js'

/** What the store needs of a job: its key, kind and folder (a Slurm job has no graph). */
type JobPlace = Pick<JobNode, 'key' | 'kind' | 'dir'>

const RESULT = 'result.json'
const ERROR = 'error.json'

/** Output fields that name files (all inside the job's folder). */
const PATH_FIELDS = ['checkpoint', 'posteriors', 'metricsPath'] as const
/** Of those, the files a finished job cannot do without. */
const REQUIRED_FILES = ['checkpoint', 'posteriors'] as const

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

const isNumberOrNull = (v: unknown) => typeof v === 'number' || v === null // NaN is written as null

/** Why `output` is not a finished output of a `kind` job, or undefined when it is. */
function outputProblem(kind: JobNode['kind'], output: Record<string, unknown>): string | undefined {
  if (kind === 'train') {
    if (typeof output.checkpoint !== 'string' || output.checkpoint === '') return 'no checkpoint'
    if (typeof output.metricsPath !== 'string') return 'no metrics file'
    if (typeof output.epochs !== 'number') return 'no epoch count'
    if (output.stoppedBy !== 'schedule' && output.stoppedBy !== 'epochs') return `stopped by ${String(output.stoppedBy)}, not finished`
    return undefined
  }
  if (kind === 'eval' && (typeof output.posteriors !== 'string' || output.posteriors === '')) return 'no posteriors file'
  if (typeof output.n !== 'number') return 'no image count'
  for (const k of ['top1Err', 'top5Err']) if (!isNumberOrNull(output[k])) return `no ${k}`
  for (const k of ['top1Ci', 'top5Ci']) if (!Array.isArray(output[k])) return `no ${k}`
  return undefined
}

/** A stored path back to an absolute one: relative to the job folder; old absolute records remapped after a move. */
function resolveStored(node: JobPlace, stored: string): string {
  if (!path.isAbsolute(stored)) return path.resolve(node.dir, stored)
  if (existsSync(stored)) return stored
  // Written before paths were relative: a file of this job's folder, at its old place.
  const moved = path.join(node.dir, path.basename(stored))
  return path.basename(path.dirname(stored)) === path.basename(node.dir) && existsSync(moved) ? moved : stored
}

export interface RecordRead {
  record?: JobRecord
  /** why a result.json that exists is not used (the job reruns) */
  problem?: string
}

/** The finished record of `node` (paths absolute), or why the job must (re)run. */
export function readRecordChecked(node: JobPlace): RecordRead {
  const file = path.join(node.dir, RESULT)
  if (!existsSync(file)) return {}
  const raw = readJson(file)
  const bad = (why: string): RecordRead => ({problem: `${file}: ${why}; running the job again`})
  if (!isObject(raw)) return bad(raw === undefined ? 'not valid JSON' : `not a job record (${JSON.stringify(raw)})`)
  if (raw.key !== node.key) return {} // another job's inputs: a stale folder, silently redone
  if (!isObject(raw.output)) return bad('the record has no output')
  const problem = outputProblem(node.kind, raw.output)
  if (problem !== undefined) return bad(`incomplete output (${problem})`)
  const output: Record<string, unknown> = {...raw.output}
  for (const k of PATH_FIELDS) if (typeof output[k] === 'string') output[k] = resolveStored(node, output[k] as string)
  for (const k of REQUIRED_FILES) {
    if (typeof output[k] === 'string' && !existsSync(output[k] as string)) return bad(`its ${k} file ${output[k] as string} is missing`)
  }
  return {record: {...(raw as unknown as JobRecord), output: output as unknown as JobRecord['output']}}
}

/** The finished record of `node`, or undefined when it must (re)run. */
export function readRecord(node: JobPlace): JobRecord | undefined {
  return readRecordChecked(node).record
}

/** Store `record`, its output paths relative to the job folder when inside it. */
export function writeRecord(node: JobPlace, record: JobRecord): void {
  const output: Record<string, unknown> = {...(record.output as unknown as Record<string, unknown>)}
  for (const k of PATH_FIELDS) {
    const v = output[k]
    if (typeof v === 'string' && isInside(node.dir, v)) output[k] = path.relative(node.dir, path.resolve(v)).split(path.sep).join('/')
  }
  writeJsonAtomic(path.join(node.dir, RESULT), {...record, output})
  rmSync(path.join(node.dir, ERROR), {force: true})
}

/** Forget a finished job (its output was found unusable): it runs again. */
export function removeRecord(node: JobPlace): void {
  rmSync(path.join(node.dir, RESULT), {force: true})
}

export interface FailureRecord {
  key: string
  error: string
  at: string
}

export function writeFailure(node: JobPlace, error: string): void {
  writeJsonAtomic(path.join(node.dir, ERROR), {key: node.key, error, at: new Date().toISOString()} satisfies FailureRecord)
}

export function readFailure(node: JobPlace): FailureRecord | undefined {
  const f = readJson(path.join(node.dir, ERROR))
  return isObject(f) && f.key === node.key && typeof f.error === 'string' ? (f as unknown as FailureRecord) : undefined
}
