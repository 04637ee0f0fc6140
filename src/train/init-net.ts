// Build the starting net of a job [3.1]: random; random with net A's first four
// conv layers and fc6-fc8 copied in; or a copy of an earlier net of the same
// configuration (S=384 from S=256, jittered S from S=384).
import {VggNet, copyFromA, createNet} from '../models/index.js'
import type {NetSpec} from '../models/types.js'
import {loadCheckpoint, readCheckpointHeader} from './checkpoint.js'
import {TrainError} from './train-error.js'
import type {TrainJob} from './types.js'

export async function initNet(job: TrainJob): Promise<VggNet> {
  const {init} = job
  if (init.from === 'random') return createNet(job.net, init.spec, job.seed)
  const source = await loadCheckpoint(init.checkpoint)
  if (init.from === 'A') {
    if (source.net.config !== 'A') {
      throw new TrainError(`init from A: ${init.checkpoint} holds a ${source.net.config} net, not A`)
    }
    const net = createNet(job.net, init.spec, job.seed)
    try {
      copyFromA(net, source.weights)
    } catch (error) {
      net.dispose()
      throw new TrainError(`init from A (${init.checkpoint}): ${(error as Error).message}`)
    }
    return net
  }
  const diff = specDifferences(source.net, job.net)
  if (diff.length > 0) {
    throw new TrainError(`init from checkpoint ${init.checkpoint}: its net differs from this job's in ${diff.join(', ')}`)
  }
  return new VggNet(job.net, source.weights)
}

/** Content identity of the init checkpoint (what the job's inputs hash includes). */
export async function initIdentity(job: TrainJob): Promise<string | undefined> {
  if (job.init.from === 'random') return undefined
  const h = await readCheckpointHeader(job.init.checkpoint)
  return `${h.inputsHash}@epoch${h.epoch}.step${h.step}`
}

export function specDifferences(a: NetSpec, b: NetSpec): string[] {
  return (Object.keys(a) as (keyof NetSpec)[]).filter((k) => a[k] !== b[k]).map((k) => `${k} (${a[k]} vs ${b[k]})`)
}
