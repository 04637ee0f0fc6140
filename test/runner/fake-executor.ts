// A stand-in for the real trainer/evaluator: writes tiny files where the real
// jobs write checkpoints and posteriors, records every call, fails on request.
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {Executor} from '../../src/runner/executor.js'
import type {TrainJob, TrainResult} from '../../src/train/types.js'

export interface FakeCalls {
  train: TrainJob[]
  evaluate: {checkpoint: string; technique: string; scale: number}[]
  combine: string[][][]
}

export interface FakeOptions {
  /** throw for train jobs whose net config + scale match, e.g. "C@73" */
  failTrain?: (job: TrainJob) => string | undefined
  nanTrain?: (job: TrainJob) => boolean
}

export function fakeExecutor(opts: FakeOptions = {}): Executor & {calls: FakeCalls} {
  const calls: FakeCalls = {train: [], evaluate: [], combine: []}
  return {
    calls,
    async train(job): Promise<TrainResult> {
      calls.train.push(job)
      const failure = opts.failTrain?.(job)
      if (failure !== undefined) throw new Error(failure)
      mkdirSync(job.outDir, {recursive: true})
      const checkpoint = path.join(job.outDir, 'checkpoint.json')
      writeFileSync(checkpoint, JSON.stringify({config: job.net.config, init: job.init}))
      const nan = opts.nanTrain?.(job) ?? false
      return {checkpoint, epochs: job.maxEpochs, stoppedBy: nan ? 'nan' : 'epochs', valTop1Err: 50, valTop5Err: 10, metricsPath: path.join(job.outDir, 'metrics.csv'), wallMs: 5}
    },
    async evaluate(req) {
      calls.evaluate.push({checkpoint: req.checkpoint, technique: req.technique, scale: req.scale})
      mkdirSync(req.outDir, {recursive: true})
      const posteriors = path.join(req.outDir, 'posteriors.bin')
      writeFileSync(posteriors, `${req.technique}@${req.scale}`)
      return {posteriors, n: 10, skipped: 0, top1Err: 40, top5Err: 10, top1Ci: [20, 60], top5Ci: [2, 40]}
    },
    async combine(req) {
      calls.combine.push(req.groups)
      const k = req.groups.flat().length
      return {n: 10, skipped: 0, top1Err: 40 - k, top5Err: 10, top1Ci: [20, 60], top5Ci: [2, 40]}
    },
  }
}
