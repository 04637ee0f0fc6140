// The on-disk job cache: <job dir>/result.json marks a finished job (written
// atomically, last); <job dir>/error.json remembers the last failure for reports.
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {JobNode, JobRecord} from './jobs.js'

/** What the store needs of a job: its key and folder. */
type JobPlace = Pick<JobNode, 'key' | 'dir'>

const RESULT = 'result.json'
const ERROR = 'error.json'

function writeJsonAtomic(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), {recursive: true})
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n')
  renameSync(tmp, file)
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
}

/** Files a finished job's output points at; if one is gone the job must rerun. */
function outputFiles(record: JobRecord): string[] {
  const out = record.output as unknown as Record<string, unknown>
  return ['checkpoint', 'posteriors'].map((k) => out[k]).filter((v): v is string => typeof v === 'string')
}

/** The finished record of `node`, or undefined when it must (re)run. */
export function readRecord(node: JobPlace): JobRecord | undefined {
  const record = readJson(path.join(node.dir, RESULT)) as JobRecord | undefined
  if (record === undefined || record.key !== node.key) return undefined
  if (!outputFiles(record).every((f) => existsSync(f))) return undefined
  return record
}

export function writeRecord(node: JobPlace, record: JobRecord): void {
  writeJsonAtomic(path.join(node.dir, RESULT), record)
  rmSync(path.join(node.dir, ERROR), {force: true})
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
  const f = readJson(path.join(node.dir, ERROR)) as FailureRecord | undefined
  return f?.key === node.key ? f : undefined
}
