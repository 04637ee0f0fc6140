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
  const [, h, w] = images.shape
  const windows = multiCropPositions(h, w, crop, steps).filter((p) => !p.flip)
  return cropWindows(images, crop, windows)
}

/** Plain windows then their flips: [2*windows*B, crop, crop, 3], window-major. */
function cropWindows(images: tf.Tensor4D, crop: number, windows: {y: number; x: number}[]): tf.Tensor4D {
  const [b, , , ch] = images.shape
  return tf.tidy(() => {
    // One slice per window covers the whole group of images.
    const plain = tf.concat(windows.map(({y, x}) => tf.slice(images, [0, y, x, 0], [b, crop, crop, ch])), 0)
    return tf.concat([plain, tf.reverse(plain, 2)], 0) as tf.Tensor4D
  })
}

/**
 * The distinct grid windows and how many of the 25 each stands for. When Q is close
 * to the crop size the rounded offsets repeat (at Q = crop all 25 are one window);
 * a repeated crop has the same posteriors, so it is computed once and weighted.
 */
export function distinctWindows(height: number, width: number, crop: number, steps = GRID): {y: number; x: number; count: number}[] {
  const byKey = new Map<string, {y: number; x: number; count: number}>()
  for (const {y, x, flip} of multiCropPositions(height, width, crop, steps)) {
    if (flip) continue
    const key = `${y},${x}`
    const seen = byKey.get(key)
    if (seen !== undefined) seen.count++
    else byKey.set(key, {y, x, count: 1})
  }
  return [...byKey.values()]
}

/**
 * Soft-max posteriors [B, classes] of each image, averaged over its 50 crops
 * (duplicate windows computed once, weighted by multiplicity).
 * `maxCrops` bounds how many crops go through the net per call (memory).
 */
export function multiCropPosteriors(net: EvalNet, images: tf.Tensor4D, maxCrops: number, steps = GRID): tf.Tensor2D {
  const crop = net.spec.crop
  const [b, h, w] = images.shape
  const windows = distinctWindows(h, w, crop, steps)
  const crops = cropWindows(images, crop, windows)
  const parts: tf.Tensor2D[] = []
  try {
    const total = crops.shape[0]
    const chunk = Math.max(1, maxCrops)
    for (let start = 0; start < total; start += chunk) {
      const size = Math.min(chunk, total - start)
      parts.push(tf.tidy(() => tf.softmax(net.logits(tf.slice(crops, [start, 0, 0, 0], [size, -1, -1, -1]), {training: false}))))
    }
    return tf.tidy(() => {
      const probs = parts.length === 1 ? parts[0] : tf.concat(parts, 0)
      const classes = probs.shape[1]
      // Weight of each row: multiplicity / (2 * steps^2), same for a window and its flip.
      const counts = windows.map((win) => win.count / (2 * steps * steps))
      const weights = tf.reshape(tf.tensor1d([...counts, ...counts]), [2 * windows.length, 1, 1])
      return tf.sum(tf.mul(tf.reshape(probs, [2 * windows.length, b, classes]), weights), 0) as tf.Tensor2D
    })
  } finally {
    crops.dispose()
    for (const p of parts) p.dispose()
  }
}
