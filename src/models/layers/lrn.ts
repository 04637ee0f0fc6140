// Local response normalisation of A-LRN: Krizhevsky et al. 2012 (section 3.3),
// k = 2, n = 5, alpha = 1e-4, beta = 0.75, as the VGG paper states. Backward: LRNGrad.
//
// Alpha convention: tfjs (like TensorFlow's LRN op, which the native backend runs)
// computes x / (bias + alpha * sum_{|j-i|<=depthRadius} x_j^2)^beta, alpha NOT
// divided by the window size. Krizhevsky's formula has the same form
// (k + alpha * sum a_j^2)^beta, so we pass alpha = 1e-4 unchanged. Caffe's LRN layer
// divides alpha by n (alpha/n * sum); porting a Caffe prototxt would need 1e-4 / 5.
import * as tf from '@tensorflow/tfjs-core'
import {castTo, RESHAPE_ATTRS, T, type GraphBuilder} from '../../backend/graph-builder.js'
import type {LayerKind} from './layer.js'

export const LRN_PARAMS = {
  /** n = 5 channels: the centre one and 2 on each side */
  depthRadius: 2,
  /** k */
  bias: 2,
  alpha: 1e-4,
  beta: 0.75,
} as const

export interface LrnLayer {
  kind: 'lrn'
  /** `lrn<block>_<index>`, after the conv of that name */
  name: string
  /** channels of the normalised map (the window runs across them) */
  channels: number
}

export interface LrnTrace {
  /** float32 input x */
  input: string
  /** d^-beta and d^(-beta-1), d = bias + alpha * window sum of x^2 */
  scale: string
  scaleOverD: string
  /** the node holding the [C, C] 0/1 band matrix of the channel window */
  band: string
}

export function lrn(x: tf.Tensor4D): tf.Tensor4D {
  const {depthRadius, bias, alpha, beta} = LRN_PARAMS
  return tf.localResponseNormalization(x, depthRadius, bias, alpha, beta)
}

/**
 * The [C, C] band matrix of the channel window: band[i][j] = 1 where |i - j| <= depthRadius.
 * A window sum over channels is then one MatMul of the [N*H*W, C] map by it (symmetric, so
 * the backward's transposed sum is the same product).
 */
function lrnBand(channels: number): number[] {
  const band: number[] = []
  for (let i = 0; i < channels; i++) for (let j = 0; j < channels; j++) band.push(Math.abs(i - j) <= LRN_PARAMS.depthRadius ? 1 : 0)
  return band
}

/** x [.., C] times the band matrix, as a map of x's shape */
function windowSum(g: GraphBuilder, x: string, band: string, channels: number): string {
  const flat = g.add('Reshape', [x, g.intConst([-1, channels])], RESHAPE_ATTRS)
  const summed = g.add('MatMul', [flat, band], {transpose_a: {b: false}, transpose_b: {b: false}, ...T})
  const shape = g.add('Shape', [x], {...T, out_type: {type: 'int32'}})
  return g.add('Reshape', [summed, shape], RESHAPE_ATTRS)
}

/**
 * d^-beta and d^(-beta-1) for the paper's beta = 0.75, from Rsqrt and Sqrt (much cheaper
 * than Pow). The typed constant stops the build if LRN_PARAMS.beta ever changes.
 */
const BETA: 0.75 = LRN_PARAMS.beta
function lrnScales(g: GraphBuilder, d: string): {scale: string; scaleOverD: string} {
  const r = g.add('Rsqrt', [d], T) // d^-0.5
  const scale = g.add('Mul', [r, g.add('Sqrt', [r], T)], T) // d^-0.75
  return {scale, scaleOverD: g.add('Mul', [scale, g.add('Square', [r], T)], T)} // d^-1.75
}

export const lrnLayer: LayerKind<LrnLayer, LrnTrace> = {
  variables: () => [],
  macs: () => 0,
  eager: (_layer, x) => lrn(x as tf.Tensor4D),
  // In the graphs, LRN is written out in elementwise ops and a band MatMul rather than
  // TensorFlow's LRN and LRNGrad ops: the same values (relative difference ~1e-7,
  // test/models/layer-gradients.test.ts checks the backward against tfjs autodiff of the
  // LRN op), but LRNGrad's CPU kernel is a plain loop: measured on the 2-core AMX Xeon at
  // A-LRN's first layer (64 x 128 x 128 x 8), forward + backward 141-183 ms with the ops,
  // 45-48 ms written out (scripts/lrn-microbench.mjs; bench/history.yaml, 2026-12-08).
  // It computes in float32 also in a bfloat16 graph (with casts around it), as
  // TensorFlow's ops did: the normaliser d = 2 + alpha * sum is close to 2, where
  // bfloat16 keeps under 3 significant digits.
  //   y = x * d^-beta,  d = bias + alpha * W x^2  (W: the band matrix)
  //   dx = dy * d^-beta - 2 alpha beta * x * W (dy * x * d^(-beta-1))
  graphForward: (layer, x, {g, dtype}) => {
    const {bias, alpha} = LRN_PARAMS
    const input = castTo(g, x, dtype, 'float32')
    const band = g.floatConst(lrnBand(layer.channels), [layer.channels, layer.channels])
    const sum = windowSum(g, g.add('Square', [input], T), band, layer.channels)
    const d = g.add('AddV2', [g.add('Mul', [sum, g.floatConst([alpha])], T), g.floatConst([bias])], T)
    const {scale, scaleOverD} = lrnScales(g, d)
    const out = g.add('Mul', [input, scale], T)
    return {out: castTo(g, out, 'float32', dtype), trace: {input, scale, scaleOverD, band}}
  },
  graphBackward: (layer, dy, trace, {g, dtype}) => {
    const {alpha} = LRN_PARAMS
    const dyF = castTo(g, dy, dtype, 'float32')
    const back = windowSum(g, g.add('Mul', [g.add('Mul', [dyF, trace.input], T), trace.scaleOverD], T), trace.band, layer.channels)
    const dx = g.add('Sub', [g.add('Mul', [dyF, trace.scale], T), g.add('Mul', [g.add('Mul', [trace.input, back], T), g.floatConst([2 * alpha * BETA])], T)], T)
    return {dx: castTo(g, dx, 'float32', dtype), grads: []}
  },
}
