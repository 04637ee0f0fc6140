// Inverted dropout on fc6 / fc7 when training. The mask is made on the host: one
// upload and one multiply per layer (tf.dropout costs five ops), and it depends only
// on (seed, layer), so the eager step and the training graph (which is fed the same
// masks) drop the same units. Backward: the same multiply.
import * as tf from '@tensorflow/tfjs-core'
import {castTo, tOf} from '../../backend/graph-builder.js'
import {Rng} from '../../util/prng.js'
import type {LayerKind} from './layer.js'

export interface DropoutLayer {
  kind: 'dropout'
  /** `drop6`, `drop7` */
  name: string
  /** the layer it follows (`fc6`): keys the mask stream and names the graph's mask feed */
  stream: string
  /** units: the width of that layer's output */
  width: number
}

export interface DropoutTrace {
  mask?: string
}

export function dropoutMask(shape: [number, number], rate: number, seed: number, stream: string): tf.Tensor2D {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout rate must be in [0, 1), got ${rate}`)
  const keep = 1 - rate
  const scale = 1 / keep
  const data = new Float32Array(shape[0] * shape[1])
  new Rng(seed, stream).fillUniform(data)
  for (let i = 0; i < data.length; i++) data[i] = data[i] < keep ? scale : 0
  return tf.tensor2d(data, shape)
}

export function applyDropout(x: tf.Tensor2D, rate: number, seed: number, stream: string): tf.Tensor2D {
  if (rate === 0) return x
  return tf.tidy(() => tf.mul(x, dropoutMask(x.shape as [number, number], rate, seed, stream)))
}

export const dropout: LayerKind<DropoutLayer, DropoutTrace> = {
  variables: () => [],
  macs: () => 0,
  eager: (layer, x, ctx) => (ctx.training ? applyDropout(x as tf.Tensor2D, ctx.dropoutRate, ctx.dropoutSeed, layer.stream) : x),
  graphForward: (layer, x, {g, mask, dtype}) => {
    if (mask === undefined) return {out: x, trace: {}}
    // the mask is fed as float32; its values (0 and 1/keep = 2 at rate 0.5) are exact in bfloat16
    const m = castTo(g, mask(layer.stream), 'float32', dtype)
    return {out: g.add('Mul', [x, m], tOf(dtype)), trace: {mask: m}}
  },
  graphBackward: (_layer, dy, trace, {g, dtype}) => ({dx: trace.mask === undefined ? dy : g.add('Mul', [dy, trace.mask], tOf(dtype)), grads: []}),
}
