// Dense evaluation of a group of same-size images (paper 3.2): the fully-convolutional
// net on the whole image and its horizontal flip, class score map spatially averaged,
// soft-max, then the two posteriors averaged.
import * as tf from '@tensorflow/tfjs-core'
import type {EvalNet} from './types.js'

/** [B,H,W,3] -> soft-max posteriors [B, classes] (image and flip averaged). */
export function densePosteriors(net: EvalNet, images: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const b = images.shape[0]
    // Image and flip in one call: one batch of 2B through the net.
    const both = tf.concat([images, tf.reverse(images, 2)], 0) as tf.Tensor4D
    const scores = tf.mean(net.denseScoreMap(both), [1, 2]) as tf.Tensor2D
    const probs = tf.softmax(scores)
    return tf.mean(tf.reshape(probs, [2, b, probs.shape[1]]), 0) as tf.Tensor2D
  })
}
