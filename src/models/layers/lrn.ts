// Local response normalisation of A-LRN: Krizhevsky et al. 2012 (section 3.3),
// k = 2, n = 5, alpha = 1e-4, beta = 0.75, as the VGG paper states. Backward: LRNGrad.
//
// Alpha convention: tfjs (like TensorFlow's LRN op, which the native backend runs)
// computes x / (bias + alpha * sum_{|j-i|<=depthRadius} x_j^2)^beta, alpha NOT
// divided by the window size. Krizhevsky's formula has the same form
// (k + alpha * sum a_j^2)^beta, so we pass alpha = 1e-4 unchanged. Caffe's LRN layer
// divides alpha by n (alpha/n * sum); porting a Caffe prototxt would need 1e-4 / 5.
import * as tf from '@tensorflow/tfjs-core'
import {castTo, T} from '../../backend/graph-builder.js'
import type {LayerKind} from './layer.js'

export const LRN_PARAMS = {
  /** n = 5 channels: the centre one and 2 on each side */
  depthRadius: 2,
  /** k */
  bias: 2,
  alpha: 1e-4,
  beta: 0.75,
} as const

export const LRN_ATTRS = {
  depth_radius: {i: LRN_PARAMS.depthRadius},
  bias: {f: LRN_PARAMS.bias},
  alpha: {f: LRN_PARAMS.alpha},
  beta: {f: LRN_PARAMS.beta},
  ...T,
}

export interface LrnLayer {
  kind: 'lrn'
  /** `lrn<block>_<index>`, after the conv of that name */
  name: string
}

export interface LrnTrace {
  input: string
  out: string
}

export function lrn(x: tf.Tensor4D): tf.Tensor4D {
  const {depthRadius, bias, alpha, beta} = LRN_PARAMS
  return tf.localResponseNormalization(x, depthRadius, bias, alpha, beta)
}

export const lrnLayer: LayerKind<LrnLayer, LrnTrace> = {
  variables: () => [],
  macs: () => 0,
  eager: (_layer, x) => lrn(x as tf.Tensor4D),
  // TensorFlow has no bfloat16 CPU kernel for LRN or LRNGrad (TF 2.21, checked): in a
  // bfloat16 graph both run in float32 with casts around them; the trace keeps the
  // float32 tensors LRNGrad reads.
  graphForward: (_layer, x, {g, dtype}) => {
    const input = castTo(g, x, dtype, 'float32')
    const out = g.add('LRN', [input], LRN_ATTRS)
    return {out: castTo(g, out, 'float32', dtype), trace: {input, out}}
  },
  graphBackward: (_layer, dy, trace, {g, dtype}) => {
    const dx = g.add('LRNGrad', [castTo(g, dy, dtype, 'float32'), trace.input, trace.out], LRN_ATTRS)
    return {dx: castTo(g, dx, 'float32', dtype), grads: []}
  },
}
