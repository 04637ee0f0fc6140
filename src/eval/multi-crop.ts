// Multi-crop evaluation of a group of same-size images on the backend: the crops are
// tf.slice windows (exact pixels, no resampling), flipped with tf.reverse, run
// through net.logits in memory-bounded chunks; soft-max averaged over the 50 crops.
import * as tf from '@tensorflow/tfjs-core'
import {GRID, multiCropPositions} from './crop-grid.js'
import type {EvalNet} from './types.js'

/**
 * [B,H,W,3] -> [2*G*G*B, crop, crop, 3], ordered flip-major, then grid position
 * (multiCropPositions order), then image: crop c of image b is row c*B + b.
 */
export function buildMultiCrops(images: tf.Tensor4D, crop: number, steps = GRID): tf.Tensor4D {
  const [b, h, w, ch] = images.shape
  const positions = multiCropPositions(h, w, crop, steps).filter((p) => !p.flip)
  return tf.tidy(() => {
    // One slice per grid position covers the whole group of images.
    const plain = tf.concat(positions.map(({y, x}) => tf.slice(images, [0, y, x, 0], [b, crop, crop, ch])), 0)
    return tf.concat([plain, tf.reverse(plain, 2)], 0) as tf.Tensor4D
  })
}

/**
 * Soft-max posteriors [B, classes] of each image, averaged over its 50 crops.
 * `maxCrops` bounds how many crops go through the net per call (memory).
 */
export function multiCropPosteriors(net: EvalNet, images: tf.Tensor4D, maxCrops: number, steps = GRID): tf.Tensor2D {
  const crop = net.spec.crop
  const b = images.shape[0]
  const crops = buildMultiCrops(images, crop, steps)
  try {
    const total = crops.shape[0]
    const chunk = Math.max(1, maxCrops)
    const parts: tf.Tensor2D[] = []
    try {
      for (let start = 0; start < total; start += chunk) {
        const size = Math.min(chunk, total - start)
        parts.push(
          tf.tidy(() => tf.softmax(net.logits(tf.slice(crops, [start, 0, 0, 0], [size, -1, -1, -1]), {training: false}))),
        )
      }
      return tf.tidy(() => {
        const probs = parts.length === 1 ? parts[0] : tf.concat(parts, 0)
        const classes = probs.shape[1]
        return tf.mean(tf.reshape(probs, [total / b, b, classes]), 0) as tf.Tensor2D
      })
    } finally {
      for (const p of parts) p.dispose()
    }
  } finally {
    crops.dispose()
  }
}
