// 2x2 max-pool, stride 2 (every block of Table 1 ends in one). Backward: MaxPoolGrad.
import * as tf from '@tensorflow/tfjs-core'
import {T} from '../../backend/graph-builder.js'
import type {LayerKind} from './layer.js'

export interface PoolLayer {
  kind: 'pool'
  /** `pool<block>` */
  name: string
}

export interface PoolTrace {
  input: string
  out: string
}

export const POOL_ATTRS = {ksize: {ints: [1, 2, 2, 1]}, strides: {ints: [1, 2, 2, 1]}, padding: {s: 'VALID'}, data_format: {s: 'NHWC'}, ...T}

export const pool: LayerKind<PoolLayer, PoolTrace> = {
  variables: () => [],
  macs: () => 0,
  eager: (_layer, x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'),
  graphForward: (_layer, x, {g}) => {
    const out = g.add('MaxPool', [x], POOL_ATTRS)
    return {out, trace: {input: x, out}}
  },
  graphBackward: (_layer, dy, trace, {g}) => ({dx: g.add('MaxPoolGrad', [trace.input, trace.out, dy], POOL_ATTRS), grads: []}),
}
