// The training loop: one visible loop over epochs and batches, with the paper's
// SGD / lr schedule [3.1], a checkpoint after every epoch (and on interrupt), and
// resume from the checkpoint in outDir. Given the same job, a run that was killed
// and resumed ends with the same weights, bit for bit, as one that was not: the
// checkpoint holds weights and momentum exactly, data draws depend on
// (seed, epoch, position) and dropout masks on (seed, epoch, step).
import {computeDtype} from '../backend/precision.js'
import {mkdir} from 'node:fs/promises'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import {indexImageFolder} from '../data/image-folder.js'
import {carveMinival} from '../data/minival.js'
import {datasetStats} from '../data/stats.js'
import {TrainBatchStream} from '../data/train-batch-stream.js'
import {VggNet, fastForward, type ForwardNet} from '../models/index.js'
import {removeStaleTemps} from '../util/atomic-write.js'
import {loadCheckpoint, readCheckpointHeader, writeCheckpoint, type Checkpoint, type CheckpointState, type PartialEpoch} from './checkpoint.js'
import {CropCache} from './crop-cache.js'
import {initIdentity, initNet} from './init-net.js'
import {inputsHash, jobDifferences} from './inputs-hash.js'
import {METRICS_JSONL, writeMetricsFiles} from './metrics-files.js'
import {EpochProgress} from './progress.js'
import {initialSchedule, scheduleAfterEpoch, warmedUpLr} from './schedule.js'
import {RNG_SCHEME, dropoutSeed} from './seeds.js'
import {SgdMomentum} from './sgd-momentum.js'
import {SkippedImagesLog} from './skipped-images.js'
import {EpochBoard} from './tensorboard.js'
import {TrainError} from './train-error.js'
import {createStepEngine, type StepEngine} from './step-engine.js'
import {checkJob} from './check-job.js'
import type {EpochMetrics, TrainHooks, TrainJob, TrainResult} from './types.js'
import {validateCenterCrop} from './validate-center-crop.js'
import {checkRecordedMinival} from './minival-check.js'

export const CHECKPOINT_FILE = 'checkpoint.ckpt'

/**
 * Loss / accuracy sums stay on the backend and are read every this many steps
 * (and at epoch end): each read is a sync point, and the NaN check rides on it.
 */
export const READ_EVERY_STEPS = 20

export function checkpointPath(outDir: string): string {
  return path.join(outDir, CHECKPOINT_FILE)
}

/** TrainResult plus a human-readable reason when training stopped early. */
export interface TrainOutcome extends TrainResult {
  message?: string
}

export async function trainNet(job: TrainJob, hooks: TrainHooks = {}): Promise<TrainOutcome> {
  checkJob(job)
  const sessionStart = performance.now()
  const outDir = path.resolve(job.outDir)
  await mkdir(outDir, {recursive: true})
  const ckptFile = checkpointPath(outDir)
  await removeStaleTemps(ckptFile)
  const metricsPath = path.join(outDir, METRICS_JSONL)

  const full = await indexImageFolder(job.dataRoot)
  if (full.classes.length !== job.net.numClasses) {
    throw new TrainError(`net has ${job.net.numClasses} classes but ${full.root} has ${full.classes.length}`)
  }
  // Train on train/ minus the minival; validate on the minival only (val/ scores the tables).
  const {train: index, minival} = carveMinival(full, job.minivalImages)
  const stats = await datasetStats(index)
  const hash = inputsHash(job, index.id, await initIdentity(job))

  // Resume from outDir's checkpoint, or build the initial net and checkpoint it
  // (so a NaN or a kill in the first epoch still leaves a valid starting point).
  // The header is checked first: a finished or foreign run never loads its tensors.
  const header = await headerIfPresent(ckptFile)
  let state: CheckpointState
  let resumeFrom: Checkpoint | undefined
  if (header !== undefined) {
    if (header.inputsHash !== hash) {
      const diff = jobDifferences(header.job, job)
      throw new TrainError(
        `${ckptFile} was written by a different job (${diff.length > 0 ? `differs in ${diff.join(', ')}` : 'different data or init checkpoint'}); ` +
          'use another output folder or delete this one',
      )
    }
    if (finishedBefore(header, job)) {
      return resultOf(header, ckptFile, metricsPath, header.stoppedBy ?? 'epochs', header.wallMs)
    }
    resumeFrom = await loadCheckpoint(ckptFile)
    const {weights: _w, momentum: _m, ...rest} = resumeFrom
    state = {...rest, job, stoppedBy: undefined}
  } else {
    state = {
      net: {...job.net},
      epoch: 0,
      step: 0,
      batchInEpoch: 0,
      schedule: initialSchedule(job.lr),
      rng: {seed: job.seed, scheme: RNG_SCHEME},
      inputsHash: hash,
      metrics: [],
      wallMs: 0,
      job,
      datasetId: index.id,
      classes: index.classes,
      meanRgb: stats.meanRgb,
    }
  }

  const net = resumeFrom !== undefined ? new VggNet(state.net, resumeFrom.weights) : await initNet(job)
  let opt: SgdMomentum | undefined
  let engine: StepEngine | undefined
  let valForward: ForwardNet | undefined
  let stream: TrainBatchStream | undefined
  const progress = EpochProgress.forStderr(hooks.quiet)
  const skippedLog = new SkippedImagesLog(hooks.onWarning ?? ((line) => process.stderr.write(`${line}\n`)))
  const wallBase = state.wallMs
  const wallNow = () => wallBase + (performance.now() - sessionStart)
  const done = (stoppedBy: TrainResult['stoppedBy'], message?: string): TrainOutcome => ({
    ...resultOf(state, ckptFile, metricsPath, stoppedBy, wallNow()),
    message,
  })

  try {
    const sgd = (opt = new SgdMomentum(net.variables, (n) => net.isWeight(n), {momentum: job.momentum, weightDecay: job.weightDecay}))
    const data = (stream = new TrainBatchStream(index, stats, {
      crop: job.net.crop,
      scaleMin: job.scaleMin,
      scaleMax: job.scaleMax,
      batchSize: job.batchSize,
      seed: job.seed,
      maxImages: job.maxTrainImages,
      colorShiftStd: job.colorShiftStd,
    }))
    const board = new EpochBoard(outDir)
    const valCache = new CropCache()
    const save = async () => {
      engine?.sync()
      state.wallMs = wallNow()
      await writeCheckpoint(ckptFile, {...state, weights: net.getWeights(), momentum: sgd.getState()})
    }
    if (resumeFrom !== undefined) {
      sgd.setState(resumeFrom.momentum)
      resumeFrom = undefined // let the host copies go
      // Metrics files may lag the checkpoint if a kill came between the two writes.
      await writeMetricsFiles(outDir, state.metrics)
    } else {
      await save()
    }
    const dtype = computeDtype(job.precision ?? 'fp32')
    const valNet = (valForward = fastForward(net, dtype))
    const stepper = (engine = createStepEngine(net, sgd, {momentum: job.momentum, weightDecay: job.weightDecay, dropout: job.dropout, dtype}))
    // the eager step computes in fp32 only: a bf16 job on it would record a precision it never had
    if (stepper.kind === 'eager' && dtype !== 'float32') throw new TrainError('precision bf16 needs the graph step on native TensorFlow; this backend runs the eager step (fp32 only): use --precision fp32')

    for (;;) {
      if (hooks.signal?.aborted) return done('interrupt', 'interrupted; the checkpoint is current')
      const e = state.epoch // 0-based index of the epoch being trained
      const lr = state.schedule.lr
      const partial: PartialEpoch = state.partial ?? {lossSum: 0, top1Correct: 0, top5Correct: 0, images: 0, trainMs: 0, dataWaitMs: 0}
      const lrT = tf.scalar(lr)
      let sums = tf.zeros([3]) as tf.Tensor1D // [loss*n, top1 hits, top5 hits] since `partial`
      let read = {lossSum: partial.lossSum, top1: partial.top1Correct, top5: partial.top5Correct, images: partial.images}
      let images = partial.images
      const readSums = () => {
        const [l, t1, t5] = sums.dataSync()
        read = {lossSum: partial.lossSum + l, top1: partial.top1Correct + t1, top5: partial.top5Correct + t5, images}
        return Number.isFinite(l)
      }
      let waitMs = partial.dataWaitMs
      const trainStart = performance.now()
      const trainMs = () => partial.trainMs + (performance.now() - trainStart)
      const snapshot = (): PartialEpoch => ({
        lossSum: read.lossSum,
        top1Correct: read.top1,
        top5Correct: read.top5,
        images,
        trainMs: trainMs(),
        dataWaitMs: waitMs,
      })
      let outcome: 'ok' | 'nan' | 'interrupt' = 'ok'
      progress.start(e + 1, job.maxEpochs, data.batchesPerEpoch, state.batchInEpoch)
      const batches = data.batches(e, state.batchInEpoch)[Symbol.asyncIterator]()
      try {
        for (;;) {
          // Native ops run synchronously and a prefetched batch resolves as a
          // microtask: without this, signals and timers would wait for the epoch end.
          await new Promise((resolve) => setImmediate(resolve))
          if (hooks.signal?.aborted) {
            outcome = 'interrupt'
            break
          }
          const waitStart = performance.now()
          const next = await batches.next()
          waitMs += performance.now() - waitStart
          if (next.done === true) break
          const b = next.value
          if (b.n > 0) {
            const stepSums = tf.tidy(() => {
              const x = tf.tensor4d(b.images, [b.n, b.crop, b.crop, 3])
              const y = tf.tensor1d(b.labels, 'int32')
              // during a warm-up every step has its own lr; after it the epoch's scalar serves all steps
              const stepLr = warmedUpLr(lr, state.step, data.batchesPerEpoch, job.lr)
              return stepper.step(x, y, stepLr === lr ? lrT : tf.scalar(stepLr), dropoutSeed(job.seed, e, state.step), job.dropout)
            })
            const added = tf.add(sums, stepSums) as tf.Tensor1D
            sums.dispose()
            stepSums.dispose()
            sums = added
            state.step += 1
            images += b.n
          }
          state.batchInEpoch += 1
          if (state.batchInEpoch % READ_EVERY_STEPS === 0 && !readSums()) {
            outcome = 'nan'
            break
          }
          // The shown loss is the running mean as of the last read.
          progress.update(state.batchInEpoch, {
            loss: read.images > 0 ? (read.lossSum / read.images).toFixed(4) : '-',
            ips: (images / (trainMs() / 1000)).toFixed(1),
          })
        }
        if (outcome !== 'nan' && !readSums()) outcome = 'nan'
      } finally {
        await batches.return?.(undefined)
        progress.stop()
        skippedLog.update(data.skipped())
        lrT.dispose()
        sums.dispose()
      }
      if (outcome === 'nan') {
        return done('nan', nanMessage(e + 1, state.step, lr, ckptFile, state.epoch))
      }
      if (outcome === 'interrupt') {
        state.partial = snapshot()
        await save()
        return done('interrupt', `interrupted in epoch ${e + 1} at batch ${state.batchInEpoch}/${data.batchesPerEpoch}; checkpoint written`)
      }

      const epochPart = snapshot()
      stepper.sync() // validation reads net.variables
      const valStart = performance.now()
      const val = await validateCenterCrop(valNet, minival, {
        meanRgb: stats.meanRgb,
        scale: job.valScale,
        batchSize: job.batchSize,
        cache: valCache,
        signal: hooks.signal,
      })
      if (!val.complete) {
        // All batches done, validation pending: resume goes straight to validation.
        state.partial = epochPart
        await save()
        return done('interrupt', `interrupted during validation of epoch ${e + 1}; checkpoint written`)
      }
      const valMs = performance.now() - valStart
      const sched = scheduleAfterEpoch(state.schedule, val.top1Acc, e + 1, job.lr)
      const n = epochPart.images
      const m: EpochMetrics = {
        epoch: e + 1,
        step: state.step,
        lr,
        trainLoss: n > 0 ? epochPart.lossSum / n : NaN,
        trainTop1Err: n > 0 ? (100 * (n - epochPart.top1Correct)) / n : NaN,
        trainTop5Err: n > 0 ? (100 * (n - epochPart.top5Correct)) / n : NaN,
        valTop1Err: val.top1Err,
        valTop5Err: val.top5Err,
        valN: val.n,
        valSkipped: val.skipped.length,
        trainImages: n,
        imgPerS: n / (epochPart.trainMs / 1000),
        dataWaitMs: epochPart.dataWaitMs,
        dataWaitFrac: epochPart.trainMs > 0 ? epochPart.dataWaitMs / epochPart.trainMs : 0,
        epochMs: epochPart.trainMs,
        valMs,
        nextLr: sched.state.lr,
        time: new Date().toISOString(),
      }
      state.schedule = sched.state
      state.epoch = e + 1
      state.batchInEpoch = 0
      state.partial = undefined
      state.metrics = [...state.metrics, m]
      state.stoppedBy = sched.stop ? 'schedule' : state.epoch >= job.maxEpochs ? 'epochs' : undefined
      await save()
      await writeMetricsFiles(outDir, state.metrics)
      board.log(m)
      await hooks.onEpoch?.(m)
      if (state.stoppedBy !== undefined) {
        // The number this job reports must come back from the file it leaves (minival-check.ts).
        await checkRecordedMinival(ckptFile, minival, {meanRgb: stats.meanRgb, scale: job.valScale, batchSize: job.batchSize, dtype, cache: valCache})
        return done(state.stoppedBy)
      }
    }
  } finally {
    progress.stop()
    await stream?.close()
    engine?.dispose()
    valForward?.dispose()
    opt?.dispose()
    net.dispose()
  }
}

async function headerIfPresent(file: string): Promise<CheckpointState | undefined> {
  try {
    return await readCheckpointHeader(file)
  } catch (error) {
    if ((error as {code?: string}).code === 'ENOENT') return undefined
    throw error
  }
}

/** A run already over for this job: by schedule, or at/after its epoch cap. */
function finishedBefore(state: CheckpointState, job: TrainJob): boolean {
  if (state.stoppedBy === 'schedule') return true
  return state.epoch >= job.maxEpochs && state.batchInEpoch === 0
}

function resultOf(state: CheckpointState, checkpoint: string, metricsPath: string, stoppedBy: TrainResult['stoppedBy'], wallMs: number): TrainResult {
  const last = state.metrics.at(-1)
  return {
    checkpoint,
    epochs: state.epoch,
    stoppedBy,
    valTop1Err: last?.valTop1Err ?? NaN,
    valTop5Err: last?.valTop5Err ?? NaN,
    metricsPath,
    wallMs,
  }
}

function nanMessage(epoch: number, step: number, lr: number, ckptFile: string, lastGoodEpoch: number): string {
  return (
    `training diverged: the loss became NaN/Inf in epoch ${epoch} (by step ${step}, lr ${lr}). ` +
    `Stopped this net; the last good checkpoint ${ckptFile} (after epoch ${lastGoodEpoch}) is kept. ` +
    'Try a lower initial learning rate or a smaller init std.'
  )
}
