// Run a job graph in dependency order, one job at a time (the backend already uses
// every core). Finished jobs are skipped; a failure fails its dependents with the
// cause and the rest go on; an interrupt stops after saving what finished.
import type {TrainJob, TrainResult} from '../train/types.js'
import type {Executor, JobContext} from './executor.js'
import type {CombineNode, CombineOutput, EvalNode, EvalOutput, JobGraph, JobNode, JobOutput, JobRecord, TrainNode} from './jobs.js'
import {readRecordChecked, removeRecord, writeFailure, writeRecord} from './job-store.js'

export type JobState = 'cached' | 'done' | 'failed' | 'pending'

export interface JobOutcome {
  state: JobState
  record?: JobRecord
  /** the failure, for dependents: "needs <job>, which failed: <cause>" */
  error?: string
}

export type RunEvent =
  | {type: 'start'; node: JobNode}
  | {type: 'progress'; node: JobNode; fraction: number; note: string}
  | {type: 'finish'; node: JobNode; outcome: JobOutcome}
  /** something the user should know about a job (a cached result found unusable) */
  | {type: 'note'; node: JobNode; text: string}

export interface RunOptions {
  graph: JobGraph
  executor: Executor
  onEvent?(e: RunEvent): void
  signal?: AbortSignal
}

export interface RunSummary {
  outcomes: Map<string, JobOutcome>
  counts: Record<JobState, number>
  /** jobs executed (not cached) per kind */
  ran: {train: number; eval: number; combine: number}
  interrupted: boolean
}

/** A job result that means "stop the whole run" (Ctrl-C during training). */
export class RunInterrupted extends Error {}

export async function runGraph(opts: RunOptions): Promise<RunSummary> {
  const {graph, executor, signal} = opts
  const emit = opts.onEvent ?? (() => {})
  const outcomes = new Map<string, JobOutcome>()
  const ran = {train: 0, eval: 0, combine: 0}
  let interrupted = false
  const cache = new Map(graph.order.map((k) => [k, readRecordChecked(graph.nodes.get(k)!)]))
  // A cached net is read again only if a job still to run loads its checkpoint:
  // those are checked whole (checksum) first, and retrained if corrupt.
  const feedsPending = new Set<string>()
  for (const node of graph.nodes.values()) if (cache.get(node.key)!.record === undefined) for (const d of node.deps) feedsPending.add(d)

  for (const key of graph.order) {
    const node = graph.nodes.get(key)!
    const failedDep = node.deps.map((d) => ({d, o: outcomes.get(d)})).find(({o}) => o?.state !== 'cached' && o?.state !== 'done')
    if (interrupted || signal?.aborted) {
      interrupted = true
      outcomes.set(key, {state: 'pending'})
      continue
    }
    if (failedDep !== undefined) {
      const dep = graph.nodes.get(failedDep.d)!
      const o = failedDep.o
      const outcome: JobOutcome =
        o?.state === 'failed' ? {state: 'failed', error: rootCause(dep, o.error)} : {state: 'pending'}
      outcomes.set(key, outcome)
      emit({type: 'finish', node, outcome})
      continue
    }
    const read = cache.get(key)!
    if (read.problem !== undefined) emit({type: 'note', node, text: read.problem})
    let cached = read.record
    if (cached !== undefined && node.kind === 'train' && feedsPending.has(key) && executor.checkCheckpoint !== undefined) {
      const file = (cached.output as TrainResult).checkpoint
      const problem = await executor.checkCheckpoint(file)
      if (problem !== undefined) {
        emit({type: 'note', node, text: `${problem}; training ${node.name} again`})
        removeRecord(node)
        cached = undefined
      }
    }
    if (cached !== undefined) {
      const outcome: JobOutcome = {state: 'cached', record: cached}
      outcomes.set(key, outcome)
      emit({type: 'finish', node, outcome})
      continue
    }
    emit({type: 'start', node})
    const outcome = await runNode(node, (k) => outcomes.get(k)!.record!.output, executor, {
      signal,
      onProgress: (fraction, note) => emit({type: 'progress', node, fraction, note}),
      onNote: (text) => emit({type: 'note', node, text}),
    })
    if (outcome.state === 'done') ran[node.kind]++
    if (outcome.error === 'interrupted') interrupted = true
    outcomes.set(key, outcome)
    emit({type: 'finish', node, outcome})
  }

  const counts: Record<JobState, number> = {cached: 0, done: 0, failed: 0, pending: 0}
  for (const o of outcomes.values()) counts[o.state]++
  return {outcomes, counts, ran, interrupted}
}

/**
 * Run one job whose parents are finished (`outputOf` gives their outputs) and save
 * its outcome in its folder: result.json when done, error.json when failed. The
 * local loop above and a Slurm job (`run-job`) both run jobs through this.
 */
export async function runNode(node: JobNode, outputOf: (key: string) => JobOutput, executor: Executor, ctx: JobContext): Promise<JobOutcome> {
  const t0 = Date.now()
  try {
    const output = await execute(node, outputOf, executor, ctx)
    const wallMs = node.kind === 'train' ? (output as TrainResult).wallMs : Date.now() - t0
    const record: JobRecord = {key: node.key, kind: node.kind, name: node.name, finishedAt: new Date().toISOString(), wallMs, output}
    writeRecord(node, record)
    return {state: 'done', record}
  } catch (error) {
    if (error instanceof RunInterrupted || ctx.signal?.aborted) return {state: 'pending', error: 'interrupted'}
    const message = oneLine(error)
    try {
      writeFailure(node, message)
    } catch {
      // A full disk may refuse this too; the outcome still reports it.
    }
    return {state: 'failed', error: message}
  }
}

export function rootCause(dep: JobNode, error: string | undefined): string {
  // Keep the first failure's wording: "needs X, which failed: <cause>" once, not nested.
  return error?.startsWith('needs ') ? error : `needs ${dep.name}, which failed: ${error ?? 'unknown error'}`
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.split('\n')[0].trim() || (error instanceof Error ? error.name : 'error')
}

async function execute(node: JobNode, outputOf: (key: string) => JobOutput, executor: Executor, ctx: JobContext): Promise<TrainResult | EvalOutput | CombineOutput> {
  const output = <T>(key: string) => outputOf(key) as T
  switch (node.kind) {
    case 'train': {
      const result = await executor.train(trainJobOf(node, (k) => output<TrainResult>(k).checkpoint), ctx)
      if (result.stoppedBy === 'interrupt') throw new RunInterrupted('interrupted')
      if (result.stoppedBy === 'nan') {
        const why = (result as {message?: string}).message ?? `NaN loss after ${result.epochs} epoch(s)`
        throw new Error(`${why}; the last good checkpoint is kept in ${node.dir}`)
      }
      return result
    }
    case 'eval':
      return evalJob(node, output<TrainResult>(node.train).checkpoint, executor, ctx)
    case 'combine':
      return combineJob(node, (k) => output<EvalOutput>(k).posteriors, executor, ctx)
    default:
      throw new Error(`unknown job kind ${(node as JobNode).kind}`)
  }
}

/** The train module's job from a node, with parent checkpoints resolved. */
export function trainJobOf(node: TrainNode, checkpointOf: (key: string) => string): TrainJob {
  const {init} = node
  return {
    net: node.net,
    init:
      init.from === 'random'
        ? {from: 'random', spec: init.spec}
        : init.from === 'A'
          ? {from: 'A', checkpoint: checkpointOf(init.parent), spec: init.spec}
          : {from: 'checkpoint', checkpoint: checkpointOf(init.parent)},
    dataRoot: node.dataRoot,
    scaleMin: node.scaleMin,
    scaleMax: node.scaleMax,
    batchSize: node.batchSize,
    maxEpochs: node.maxEpochs,
    lr: node.lr,
    momentum: node.momentum,
    weightDecay: node.weightDecay,
    dropout: node.dropout,
    colorShiftStd: node.colorShiftStd,
    seed: node.seed,
    valScale: node.valScale,
    outDir: node.dir,
    maxTrainImages: node.maxTrainImages,
    minivalImages: node.minivalImages,
    // nodes planned before precision existed (a Slurm job file) were fp32
    precision: node.precision ?? 'fp32',
  }
}

function evalJob(node: EvalNode, checkpoint: string, executor: Executor, ctx: JobContext): Promise<EvalOutput> {
  return executor.evaluate(
    {
      checkpoint,
      dataRoot: node.dataRoot,
      technique: node.technique,
      scale: node.q,
      outDir: node.dir,
      batchSize: node.batchSize,
      maxImages: node.maxImages,
      precision: node.precision ?? 'fp32',
    },
    ctx,
  )
}

function combineJob(node: CombineNode, posteriorsOf: (key: string) => string, executor: Executor, ctx: JobContext): Promise<CombineOutput> {
  return executor.combine({groups: node.groups.map((g) => g.map(posteriorsOf)), outDir: node.dir}, ctx)
}
