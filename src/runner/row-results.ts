// Row results (the runner -> report contract) from job outcomes: a row is ok when
// its combination finished, failed when any of its jobs failed, else pending.
import {existsSync} from 'node:fs'
import type {RowResult, SeedRowResult} from '../experiments/types.js'
import {seedMeanErrors} from '../report/seed-mean.js'
import type {TrainResult} from '../train/types.js'
import type {CombineOutput, JobGraph} from './jobs.js'
import {readFailure, readRecord} from './job-store.js'
import {combinedPosteriorsPath} from './paths.js'
import {rootCause, type JobOutcome} from './run-graph.js'
import type {SeedRun} from '../report/training-noise.js'

export function rowResults(graph: JobGraph, outcomes: Map<string, JobOutcome>): RowResult[] {
  return graph.rows.map(({row, combine, perSeed, jobs}) => {
    const result: RowResult = {
      table: row.table,
      id: row.id,
      label: row.label,
      paper: {...row.paper},
      status: 'pending',
      nets: memberNets(graph, combine),
      jobs: jobs.map((key) => {
        const node = graph.nodes.get(key)!
        const record = outcomes.get(key)?.record
        const metricsPath = node.kind === 'train' && record ? (record.output as TrainResult).metricsPath : undefined
        return {key, kind: node.kind, wallMs: record?.wallMs, ...(metricsPath ? {metricsPath} : {})}
      }),
    }
    // The first failed job in dependency order is the root cause of the row's failure.
    const failedKey = jobs.find((k) => outcomes.get(k)?.state === 'failed')
    const finished = (key: string) => {
      const done = outcomes.get(key)
      return (done?.state === 'done' || done?.state === 'cached') && done.record ? (done.record.output as CombineOutput) : undefined
    }
    if (failedKey !== undefined) {
      const error = outcomes.get(failedKey)!.error ?? 'unknown error'
      result.status = 'failed'
      result.error = error.startsWith('needs ') ? error : `${graph.nodes.get(failedKey)!.name} failed: ${error}`
    } else if (perSeed === undefined) {
      const o = finished(combine)
      if (o !== undefined) {
        result.status = 'ok'
        result.reproduced = {top1Err: o.top1Err, top5Err: o.top5Err, top1Ci: o.top1Ci, top5Ci: o.top5Ci, n: o.n, skipped: o.skipped}
        const posteriors = combinedPosteriorsOf(o, graph.nodes.get(combine)!.dir)
        if (posteriors !== undefined) result.posteriors = posteriors
      }
    } else if (perSeed.every((key) => finished(key) !== undefined)) {
      // k seeds: the row is the mean of its seeds, each kept for the paired comparisons.
      result.perSeed = perSeed.map((key, i) => seedResult(graph, key, finished(key)!, i + 1))
      result.status = 'ok'
      result.reproduced = seedMeanErrors(result.perSeed)
    }
    return result
  })
}

function seedResult(graph: JobGraph, combine: string, o: CombineOutput, index: number): SeedRowResult {
  const posteriors = combinedPosteriorsOf(o, graph.nodes.get(combine)!.dir)
  return {
    index,
    top1Err: o.top1Err,
    top5Err: o.top5Err,
    top1Ci: o.top1Ci,
    top5Ci: o.top5Ci,
    n: o.n,
    skipped: o.skipped,
    ...(posteriors !== undefined ? {posteriors} : {}),
    nets: memberNets(graph, combine),
  }
}

/** The train jobs whose evaluations a combine job averages, one per member net. */
function memberNets(graph: JobGraph, combine: string): string[] {
  const node = graph.nodes.get(combine)
  if (node?.kind !== 'combine') return []
  return node.groups.map((group) => {
    const evalNode = graph.nodes.get(group[0])
    return evalNode?.kind === 'eval' ? evalNode.train : group[0]
  })
}

/**
 * The file the combine job computed the row's numbers from: as its record names it, or,
 * for records written before the path was recorded, where the real executor writes it
 * (job folders are keyed by their inputs, so that file belongs to this record).
 */
function combinedPosteriorsOf(output: CombineOutput, jobDir: string): string | undefined {
  if (output.posteriors !== undefined) return output.posteriors
  const file = combinedPosteriorsPath(jobDir)
  return existsSync(file) ? file : undefined
}

/** Outcomes read from the cache alone (for `report`): nothing runs. */
export function cachedOutcomes(graph: JobGraph): Map<string, JobOutcome> {
  const outcomes = new Map<string, JobOutcome>()
  for (const key of graph.order) {
    const node = graph.nodes.get(key)!
    const record = readRecord(node)
    if (record) {
      outcomes.set(key, {state: 'cached', record})
      continue
    }
    const failure = readFailure(node)
    const failedDep = node.deps.find((d) => outcomes.get(d)?.state === 'failed')
    if (failure) outcomes.set(key, {state: 'failed', error: failure.error})
    else if (failedDep) outcomes.set(key, {state: 'failed', error: rootCause(graph.nodes.get(failedDep)!, outcomes.get(failedDep)!.error)})
    else outcomes.set(key, {state: 'pending'})
  }
  return outcomes
}

/** Net A's seed runs as the report's training-noise input: each seed's two scores and its Table 3 posterior file, where finished. */
export function seedRunResults(graph: JobGraph, outcomes: Map<string, JobOutcome>): SeedRun[] {
  const output = (key: string) => {
    const o = outcomes.get(key)
    if ((o?.state !== 'done' && o?.state !== 'cached') || o.record === undefined) return undefined
    return o.record.output as CombineOutput
  }
  return graph.seedRuns.map((r) => {
    const [single, multi] = [output(r.single), output(r.multi)]
    const file = single && combinedPosteriorsOf(single, graph.nodes.get(r.single)!.dir)
    return {
      seed: r.seed,
      single: single && {top1Err: single.top1Err, top5Err: single.top5Err},
      multi: multi && {top1Err: multi.top1Err, top5Err: multi.top5Err},
      ...(file !== undefined ? {posteriors: file} : {}),
    }
  })
}
