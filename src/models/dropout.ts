// Inverted dropout with a host-generated mask: one upload and one multiply per
// layer (tf.dropout costs five ops), and the mask depends only on (seed, layer).
import * as tf from '@tensorflow/tfjs-core'
import {Rng} from '../util/prng.js'

export function dropoutMask(shape: [number, number], rate: number, seed: number, label: string): tf.Tensor2D {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout rate must be in [0, 1), got ${rate}`)
  const keep = 1 - rate
  const scale = 1 / keep
  const data = new Float32Array(shape[0] * shape[1])
  new Rng(seed, label).fillUniform(data)
  for (let i = 0; i < data.length; i++) data[i] = data[i] < keep ? scale : 0
  return tf.tensor2d(data, shape)
}

export function applyDropout(x: tf.Tensor2D, rate: number, seed: number, label: string): tf.Tensor2D {
  if (rate === 0) return x
  return tf.tidy(() => tf.mul(x, dropoutMask(x.shape as [number, number], rate, seed, label)))
}
