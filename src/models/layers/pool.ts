// 2x2 max-pool, stride 2 (every block of Table 1 ends in one). Backward: MaxPoolGrad.
import * as tf from '@tensorflow/tfjs-core'
import {tOf, type ComputeDtype} from '../../backend/graph-builder.js'
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

export const poolAttrs = (dtype: ComputeDtype) => ({
  ksize: {ints: [1, 2, 2, 1]},
  strides: {ints: [1, 2, 2, 1]},
  padding: {s: 'VALID'},
  data_format: {s: 'NHWC'},
  ...tOf(dtype),
})

export const pool: LayerKind<PoolLayer, PoolTrace> = {
  variables: () => [],
  macs: () => 0,
  eager: (_layer, x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'),
  graphForward: (_layer, x, {g, dtype}) => {
    const out = g.add('MaxPool', [x], poolAttrs(dtype))
    return {out, trace: {input: x, out}}
  },
  graphBackward: (_layer, dy, trace, {g, dtype}) => ({dx: g.add('MaxPoolGrad', [trace.input, trace.out, dy], poolAttrs(dtype)), grads: []}),
}
