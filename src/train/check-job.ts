// Reject a malformed job before any work, with one line naming the field.
import {TrainError} from './train-error.js'
import type {TrainJob} from './types.js'

export function checkJob(job: TrainJob): void {
  const fail = (field: string, problem: string, value: unknown) => {
    throw new TrainError(`train job: ${field} ${problem}, got ${JSON.stringify(value)}`)
  }
  const int = (field: string, v: number, min: number) => {
    if (!Number.isSafeInteger(v) || v < min) fail(field, `must be an integer >= ${min}`, v)
  }
  const range = (field: string, v: number, lo: number, hi: number, hiOpen = true) => {
    if (!(v >= lo && (hiOpen ? v < hi : v <= hi))) fail(field, `must be in [${lo}, ${hi}${hiOpen ? ')' : ']'}`, v)
  }
  const {crop} = job.net
  int('net.crop', crop, 32)
  int('net.numClasses', job.net.numClasses, 2)
  int('scaleMin', job.scaleMin, crop)
  int('scaleMax', job.scaleMax, job.scaleMin)
  int('valScale', job.valScale, crop)
  int('batchSize', job.batchSize, 1)
  int('maxEpochs', job.maxEpochs, 1)
  int('seed', job.seed, 0)
  if (!(job.lr.initial > 0 && Number.isFinite(job.lr.initial))) fail('lr.initial', 'must be a positive number', job.lr.initial)
  range('lr.decayFactor', job.lr.decayFactor, 0, 1)
  if (job.lr.kind === 'plateau') {
    int('lr.maxDecays', job.lr.maxDecays, 0)
    int('lr.patience', job.lr.patience, 1)
    range('lr.minDelta', job.lr.minDelta, 0, 1)
  } else {
    const at = job.lr.decayAfterEpochs
    at.forEach((e, i) => int(`lr.decayAfterEpochs[${i}]`, e, i === 0 ? 1 : at[i - 1] + 1))
    if (!(job.lr.minLr > 0 && job.lr.minLr <= job.lr.initial)) fail('lr.minLr', `must be in (0, lr.initial ${job.lr.initial}]`, job.lr.minLr)
  }
  range('momentum', job.momentum, 0, 1)
  range('weightDecay', job.weightDecay, 0, 1)
  range('dropout', job.dropout, 0, 1)
  if (!(job.colorShiftStd >= 0)) fail('colorShiftStd', 'must be >= 0', job.colorShiftStd)
  if (job.maxTrainImages !== undefined) int('maxTrainImages', job.maxTrainImages, 1)
  int('minivalImages', job.minivalImages, 1)
}
