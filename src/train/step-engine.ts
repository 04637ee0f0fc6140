// How the trainer runs one optimizer step. Two engines with the same arithmetic:
// - graph (native TensorFlow only, the default there): the whole step is one
//   TensorFlow session run (graph/graph-step.ts);
// - eager: tfjs ops and autodiff (train-step.ts), on every backend.
// VGG_REPRO_EAGER_STEP=1 forces eager on the native backend (for comparisons).
import type * as tf from '@tensorflow/tfjs-core'
import {graphSessionsAvailable} from '../backend/graph-session.js'
import {GraphStep} from './graph/graph-step.js'
import type {SgdMomentum} from './sgd-momentum.js'
import {trainStep} from './train-step.js'
import type {TrainableNet} from './types.js'

export interface StepEngine {
  readonly kind: 'graph' | 'eager'
  /** One step; returns [loss*n, top1 hits, top5 hits] on the backend. */
  step(images: tf.Tensor4D, labels: tf.Tensor1D, lr: tf.Scalar, dropoutSeed: number, dropoutRate: number): tf.Tensor1D
  /** Make net.variables and the optimizer's momentum current (before validation or a checkpoint). */
  sync(): void
  dispose(): void
}

export class EagerStep implements StepEngine {
  readonly kind = 'eager'
  constructor(
    private readonly net: TrainableNet,
    private readonly sgd: SgdMomentum,
  ) {}

  step(images: tf.Tensor4D, labels: tf.Tensor1D, lr: tf.Scalar, dropoutSeed: number, dropoutRate: number): tf.Tensor1D {
    return trainStep(this.net, this.sgd, images, labels, lr, dropoutSeed, dropoutRate)
  }

  sync(): void {}

  dispose(): void {}
}

export function createStepEngine(
  net: TrainableNet,
  sgd: SgdMomentum,
  opts: {momentum: number; weightDecay: number; dropout: number; engine?: 'graph' | 'eager'},
): StepEngine {
  const wanted = opts.engine ?? (graphSessionsAvailable() ? 'graph' : 'eager')
  return wanted === 'graph' ? new GraphStep(net, sgd, opts) : new EagerStep(net, sgd)
}
