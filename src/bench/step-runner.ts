// The trainer's step, as train-net.ts runs it: upload the batch, one step of the
// trainer's engine (step-engine.ts: forward with dropout, cross-entropy, gradients,
// SGD momentum + L2 on kernels), add the step's [loss, top1, top5] sums on the
// backend, read them every READ_EVERY_STEPS.
import * as tf from '@tensorflow/tfjs-core'
import type {ComputeDtype} from '../backend/graph-builder.js'
import {createNet, type InitSpec, type NetSpec, type VggNet} from '../models/index.js'
import {dropoutSeed} from '../train/seeds.js'
import {SgdMomentum} from '../train/sgd-momentum.js'
import {READ_EVERY_STEPS} from '../train/train-net.js'
import {uniformRng} from '../util/prng.js'
import {createStepEngine, type StepEngine} from '../train/step-engine.js'

export interface StepSetup {
  spec: NetSpec
  init: InitSpec
  batch: number
  lr: number
  momentum: number
  weightDecay: number
  dropout: number
  seed: number
  /** default: the one the trainer picks (graph on native TensorFlow unless VGG_REPRO_EAGER_STEP=1) */
  engine?: 'graph' | 'eager'
  /** the graph engine's compute dtype; default float32 */
  dtype?: ComputeDtype
}

export class StepRunner {
  readonly net: VggNet
  private readonly opt: SgdMomentum
  /** setup.engine, else the one the trainer would pick */
  readonly engine: StepEngine
  private readonly lr: tf.Scalar
  private sums: tf.Tensor1D
  private steps = 0

  constructor(private readonly setup: StepSetup) {
    this.net = createNet(setup.spec, setup.init, setup.seed)
    this.opt = new SgdMomentum(this.net.variables, (n) => this.net.isWeight(n), {momentum: setup.momentum, weightDecay: setup.weightDecay})
    this.engine = createStepEngine(this.net, this.opt, {momentum: setup.momentum, weightDecay: setup.weightDecay, dropout: setup.dropout, engine: setup.engine, dtype: setup.dtype})
    this.lr = tf.scalar(setup.lr)
    this.sums = tf.zeros([3])
  }

  /** One optimizer step on host data (NHWC floats, int labels), exactly as the trainer does it. */
  step(images: Float32Array, labels: Int32Array, n: number): void {
    const {crop} = this.setup.spec
    const stepSums = tf.tidy(() => {
      const x = tf.tensor4d(images, [n, crop, crop, 3])
      const y = tf.tensor1d(labels, 'int32')
      return this.engine.step(x, y, this.lr, dropoutSeed(this.setup.seed, 0, this.steps), this.setup.dropout)
    })
    const added = tf.add(this.sums, stepSums) as tf.Tensor1D
    this.sums.dispose()
    stepSums.dispose()
    this.sums = added
    this.steps += 1
    if (this.steps % READ_EVERY_STEPS === 0) this.read()
  }

  /** The trainer's periodic sync point: read the three sums. */
  read(): Float32Array {
    return this.sums.dataSync() as Float32Array
  }

  dispose(): void {
    this.sums.dispose()
    this.lr.dispose()
    this.engine.dispose()
    this.opt.dispose()
    this.net.dispose()
  }
}

/** A random batch in the trainer's value range (0..255 minus a mean): compute-only input. */
export function randomBatch(batch: number, crop: number, classes: number, seed: number): {images: Float32Array; labels: Int32Array} {
  const next = uniformRng(seed) // the values do not matter for speed
  const images = new Float32Array(batch * crop * crop * 3)
  for (let i = 0; i < images.length; i++) images[i] = next() * 255 - 120
  const labels = new Int32Array(batch)
  for (let i = 0; i < batch; i++) labels[i] = Math.floor(next() * classes)
  return {images, labels}
}
