// The eager step engine: one optimizer step, entirely on the backend, as tfjs ops:
// the net's eager forward with dropout, softmax cross-entropy, tfjs autodiff, SGD
// update. Returns [loss*n, top1Hits, top5Hits] so the caller can accumulate on the
// backend and read rarely. Runs on every backend; the graph engine (graph-step.ts)
// does the same arithmetic in one TensorFlow session run on the native one.
import * as tf from '@tensorflow/tfjs-core'
import type {SgdMomentum} from './sgd-momentum.js'
import {topkHits} from './topk-counts.js'
import type {StepEngine, TrainableNet} from './types.js'

export function trainStep(
  net: TrainableNet,
  opt: SgdMomentum,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  lr: tf.Scalar,
  dropoutSeed: number,
  dropoutRate: number,
): tf.Tensor1D {
  const names = new Map<string, string>() // tf variable name -> net name
  for (const [name, v] of net.variables) names.set(v.name, name)
  return tf.tidy(() => {
    const n = labels.shape[0]
    let hits: tf.Tensor1D | undefined
    const {value, grads} = tf.variableGrads(() => {
      const logits = net.logits(images, {training: true, dropoutSeed, dropoutRate})
      // Kept: tensors made inside f are disposed when the gradient scope closes.
      hits = tf.keep(topkHits(logits, labels))
      const oneHot = tf.cast(tf.oneHot(labels, logits.shape[1]), 'float32')
      return tf.div(tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)))), n) as tf.Scalar
    }, [...net.variables.values()])
    const byName = new Map<string, tf.Tensor>()
    for (const [tfName, g] of Object.entries(grads)) if (g !== null) byName.set(names.get(tfName)!, g)
    opt.apply(byName, lr)
    const out = tf.concat([tf.reshape(tf.mul(value, n), [1]), hits!]) as tf.Tensor1D
    hits!.dispose()
    return out
  })
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
