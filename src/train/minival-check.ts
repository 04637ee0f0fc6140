// Numbers you can trust after a crash (issue 21): a finished training job's checkpoint,
// read back from disk, must re-evaluate to the minival error the job recorded in it. The
// recorded number comes from the live net just before that checkpoint was written; a heap
// corrupted enough to change weights between the two (or a later write of other weights
// under a valid checksum) would otherwise go into the tables unnoticed.
//
// The comparison is exact. The re-evaluation runs the same computation as the recorded one:
// the same minival samples in the same order and batches (batch size of the job), the same
// crops (the job's crop cache, else decoded again by the same deterministic code), the same
// compute precision and the same graph (fastForward of a net holding the checkpoint's fp32
// weights, which are the live variables' bytes). The errors are counts of argmax hits over
// n images, so only a changed logit ordering can move them; the same graph on the same
// inputs and weights gives the same logits on this backend (oneDNN's forward convolution is
// deterministic for a given shape and thread count).
import {rename} from 'node:fs/promises'
import type {ComputeDtype} from '../backend/graph-builder.js'
import type {Sample} from '../data/image-folder.js'
import {displayPath} from '../experiments/paths.js'
import {VggNet, fastForward} from '../models/index.js'
import {loadCheckpoint} from './checkpoint.js'
import type {CropCache} from './crop-cache.js'
import {TrainError} from './train-error.js'
import {validateCenterCrop} from './validate-center-crop.js'

export interface MinivalCheckOptions {
  meanRgb: [number, number, number]
  scale: number
  batchSize: number
  dtype: ComputeDtype
  cache?: CropCache
}

/** Thrown when the checkpoint does not reproduce its recorded minival error. */
export class MinivalMismatchError extends TrainError {}

/**
 * Re-evaluates `ckptFile` on `minival` and compares with the last epoch's recorded
 * top-1 / top-5 error and image count. On a mismatch the checkpoint is moved to
 * `<file>.mismatch` (kept for inspection; a rerun trains the job again instead of serving
 * the unverified number from a finished checkpoint) and a one-line MinivalMismatchError
 * naming it is thrown.
 */
export async function checkRecordedMinival(ckptFile: string, minival: readonly Sample[], opts: MinivalCheckOptions): Promise<void> {
  const ckpt = await loadCheckpoint(ckptFile)
  const last = ckpt.metrics.at(-1)
  if (last === undefined) throw new MinivalMismatchError(`${displayPath(ckptFile)}: a finished checkpoint records no minival error`)
  const net = new VggNet(ckpt.net, ckpt.weights)
  const fwd = fastForward(net, opts.dtype)
  try {
    const val = await validateCenterCrop(fwd, minival, {meanRgb: opts.meanRgb, scale: opts.scale, batchSize: opts.batchSize, cache: opts.cache})
    if (val.n === last.valN && val.top1Err === last.valTop1Err && val.top5Err === last.valTop5Err) return
    const aside = `${ckptFile}.mismatch`
    await rename(ckptFile, aside)
    throw new MinivalMismatchError(
      `${displayPath(ckptFile)} does not reproduce its recorded minival error: recorded top-1 ${last.valTop1Err}% top-5 ${last.valTop5Err}% on ${last.valN} images, ` +
        `re-evaluated ${val.top1Err}% / ${val.top5Err}% on ${val.n} (the weights changed after validation: possible native memory corruption); ` +
        `not reported, moved to ${displayPath(aside)}, rerun to train it again`,
    )
  } finally {
    fwd.dispose()
    net.dispose()
  }
}
