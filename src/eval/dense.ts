// Dense evaluation of a group of same-size images (paper 3.2): the fully-convolutional
// net on the whole image and its horizontal flip, class score map spatially averaged,
// soft-max, then the two posteriors averaged.
import * as tf from '@tensorflow/tfjs-core'
import type {EvalNet} from './types.js'

/**
 * [B,H,W,3] -> soft-max posteriors [B, classes] (image and flip averaged).
 * Image and flip normally go through in one call of 2B; `separateFlip` runs them
 * as two calls of B when even two samples exceed the memory budget (large Q).
 */
export function densePosteriors(net: EvalNet, images: tf.Tensor4D, separateFlip = false): tf.Tensor2D {
  const b = images.shape[0]
  const probsOf = (x: tf.Tensor4D) => tf.tidy(() => tf.softmax(tf.mean(net.denseScoreMap(x), [1, 2]) as tf.Tensor2D))
  if (separateFlip) {
    const plain = probsOf(images)
    const flipped = tf.tidy(() => probsOf(tf.reverse(images, 2)))
    const out = tf.tidy(() => tf.div(tf.add(plain, flipped), 2) as tf.Tensor2D)
    tf.dispose([plain, flipped])
    return out
  }
  return tf.tidy(() => {
    const probs = probsOf(tf.concat([images, tf.reverse(images, 2)], 0) as tf.Tensor4D)
    return tf.mean(tf.reshape(probs, [2, b, probs.shape[1]]), 0) as tf.Tensor2D
  })
}
