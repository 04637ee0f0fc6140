// One optimizer step, entirely on the backend: forward with dropout, softmax
// cross-entropy, gradients, SGD update. Returns [loss*n, top1Hits, top5Hits]
// so the caller can accumulate on the backend and read rarely.
import * as tf from '@tensorflow/tfjs-core'
import type {SgdMomentum} from './sgd-momentum.js'
import {topkHits} from './topk-counts.js'
import type {TrainableNet} from './types.js'

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
