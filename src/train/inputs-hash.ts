// Identity of a training job's resolved inputs. A checkpoint records it, and
// resuming into an outDir whose checkpoint came from different inputs is refused.
// Left out on purpose: outDir and the dataset path (the dataset's content id
// stands in), init checkpoint paths (their content identity stands in), and
// maxEpochs (raising the cap continues a finished run).
import {precisionKey} from '../backend/precision.js'
import {canonicalHash, canonicalJson} from '../util/canonical-json.js'
import type {TrainJob} from './types.js'

export function inputsHash(job: TrainJob, datasetId: string, initIdentity: string | undefined): string {
  const init = job.init.from === 'random' ? job.init : job.init.from === 'A' ? {from: 'A', spec: job.init.spec} : {from: 'checkpoint'}
  const inputs = {
    net: job.net,
    init,
    initIdentity: initIdentity ?? null,
    datasetId,
    scaleMin: job.scaleMin,
    scaleMax: job.scaleMax,
    batchSize: job.batchSize,
    lr: job.lr,
    momentum: job.momentum,
    weightDecay: job.weightDecay,
    dropout: job.dropout,
    colorShiftStd: job.colorShiftStd,
    seed: job.seed,
    valScale: job.valScale,
    maxTrainImages: job.maxTrainImages ?? null,
    minivalImages: job.minivalImages,
    ...precisionKey(job.precision),
  }
  return canonicalHash(inputs)
}

/** Job fields whose values differ, for the refusal message. */
export function jobDifferences(a: TrainJob, b: TrainJob): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof TrainJob)[])
  return [...keys].filter((k) => k !== 'outDir' && k !== 'maxEpochs' && canonicalJson(a[k]) !== canonicalJson(b[k]))
}
