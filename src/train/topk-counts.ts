// Top-1 / top-5 hit counts on the backend, so only two numbers are read back.
import * as tf from '@tensorflow/tfjs-core'

/** [top1Hits, top5Hits] as a float32 tensor of shape [2]; k shrinks below 5 classes. */
export function topkHits(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const k = Math.min(5, logits.shape[1])
    const {indices} = tf.topk(logits, k)
    const hit = tf.cast(tf.equal(indices, tf.reshape(labels, [-1, 1])), 'float32') // [n, k], at most one 1 per row
    const top1 = tf.sum(tf.slice(hit, [0, 0], [-1, 1]))
    return tf.stack([top1, tf.sum(hit)]) as tf.Tensor1D
  })
}
