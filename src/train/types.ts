// Shapes of the training module (ARCHITECTURE.md, "train/"), plus the per-epoch
// metrics and the structural view of a net that training needs.
import type * as tf from '@tensorflow/tfjs-core'
import type {Precision} from '../backend/precision.js'
import type {InitSpec, NetSpec, WeightMap} from '../models/types.js'

export type TrainInit =
  | {from: 'random'; spec: InitSpec}
  | {from: 'A'; checkpoint: string; spec: InitSpec}
  | {from: 'checkpoint'; checkpoint: string}

/**
 * The paper's rule [3.1]: lr / 10 when validation accuracy stops improving, 3 times,
 * then stop. Validation is the minival carved from train, never the scored val set.
 */
export interface PlateauPolicy {
  kind: 'plateau'
  initial: number
  /** lr is multiplied by this on a plateau (paper: divided by 10) */
  decayFactor: number
  /** after this many decays the next plateau stops training (paper: 3) */
  maxDecays: number
  /** epochs without a val top-1 improvement that make a plateau */
  patience: number
  /** an epoch improves only if its minival top-1 accuracy beats the best by more than this (fraction, e.g. 0.002) */
  minDelta: number
}

/** A fixed schedule imitating the paper's decays: lr x decayFactor after each listed epoch, never below minLr. */
export interface StepPolicy {
  kind: 'step'
  initial: number
  decayFactor: number
  /** 1-based epochs after which lr is multiplied by decayFactor, ascending */
  decayAfterEpochs: number[]
  /** the lr every net of a profile ends at (fine-tunes start lower, so they take fewer decays) */
  minLr: number
}

/**
 * warmupEpochs: lr rises linearly from lr/W to lr over the first W optimizer steps
 * (W = warmupEpochs x batches per epoch), then follows the policy; absent, no warm-up.
 */
export type LrPolicy = (PlateauPolicy | StepPolicy) & {warmupEpochs?: number}

export interface TrainJob {
  net: NetSpec
  init: TrainInit
  dataRoot: string
  /** training scale S range (equal for single-scale training) */
  scaleMin: number
  scaleMax: number
  batchSize: number
  maxEpochs: number
  lr: LrPolicy
  momentum: number
  weightDecay: number
  /** dropout rate of fc6/fc7 (applied by the net) */
  dropout: number
  colorShiftStd: number
  seed: number
  /** Q of the per-epoch single centre-crop validation */
  valScale: number
  /**
   * Images per class-balanced minival held out of train/ (src/data/minival.ts): the
   * per-epoch validation and the plateau schedule see only these, never val/.
   */
  minivalImages: number
  outDir: string
  maxTrainImages?: number
  /**
   * What the training graph computes in (src/backend/precision.ts, resolved for this
   * machine): bf16 = bfloat16 convolutions, matrix products and gradients with float32
   * weights, momentum and loss. Checkpoints record it; absent in ones written before it
   * existed, which were fp32.
   */
  precision: Precision
}

export type StoppedBy = 'schedule' | 'epochs' | 'nan' | 'interrupt'

export interface TrainResult {
  checkpoint: string
  /** completed epochs */
  epochs: number
  stoppedBy: StoppedBy
  /** percent, of the last completed epoch (NaN when no epoch completed) */
  valTop1Err: number
  valTop5Err: number
  metricsPath: string
  /** training wall time summed over all sessions of this job */
  wallMs: number
}

/** One line of metrics.jsonl / metrics.csv; errors in percent. */
export interface EpochMetrics {
  /** 1-based number of the completed epoch */
  epoch: number
  /** global optimizer steps after this epoch */
  step: number
  /** lr used during this epoch */
  lr: number
  trainLoss: number
  trainTop1Err: number
  trainTop5Err: number
  valTop1Err: number
  valTop5Err: number
  valN: number
  valSkipped: number
  trainImages: number
  imgPerS: number
  /** time spent waiting for the data stream during the epoch */
  dataWaitMs: number
  dataWaitFrac: number
  epochMs: number
  valMs: number
  /** lr for the next epoch after the schedule looked at this epoch's val accuracy */
  nextLr: number
  time: string
}

export interface TrainHooks {
  /** after the epoch's checkpoint and metrics are written; awaited when it returns a promise */
  onEpoch?(m: EpochMetrics): unknown
  /** one-line warnings (a training image skipped as unreadable); default: stderr */
  onWarning?(line: string): void
  signal?: AbortSignal
  quiet?: boolean
}

/**
 * How the trainer runs one optimizer step (step-engine.ts picks one): the graph
 * engine (graph-step.ts, one TensorFlow session run per step, native backend) or the
 * eager one (eager-step.ts, tfjs ops and autodiff, every backend).
 */
export interface StepEngine {
  readonly kind: 'graph' | 'eager'
  /** One step; returns [loss*n, top1 hits, top5 hits] on the backend. */
  step(images: tf.Tensor4D, labels: tf.Tensor1D, lr: tf.Scalar, dropoutSeed: number, dropoutRate: number): tf.Tensor1D
  /** Make net.variables and the optimizer's momentum current (before validation or a checkpoint). */
  sync(): void
  dispose(): void
}

/**
 * The part of VggNet (src/models) training uses. Structural, so the loop does not
 * depend on how models/ lays out its files and tests can use a tiny stand-in.
 */
export interface TrainableNet {
  spec: NetSpec
  variables: Map<string, tf.Variable>
  logits(x: tf.Tensor4D, opts: {training: boolean; dropoutSeed?: number; dropoutRate?: number}): tf.Tensor2D
  isWeight(name: string): boolean
  getWeights(): WeightMap
  setWeights(weights: WeightMap): void
  dispose(): void
}
