// Fully connected layer + bias (+ ReLU for fc6, fc7). For crops ('logits') a matrix
// product; fc6 first flattens the last feature map row-major (h, w, c). For dense
// evaluation ('dense', paper 3.2) a VALID convolution: fc6's kernel reshaped to a
// (crop/32) x (crop/32) filter (a plain reshape, thanks to the row-major flatten),
// fc7 and fc8 as 1x1 convs. Backward (logits only, training): ReluGrad, then the two
// MatMul gradients and BiasAddGrad; fc6 reshapes its input gradient back to the map.
import * as tf from '@tensorflow/tfjs-core'
import {biasAttrs, conv2dForward, reshapeAttrs, tOf, type ComputeDtype} from '../../backend/graph-builder.js'
import {kernelAndBias, type LayerKind} from './layer.js'

export interface FcLayer {
  kind: 'fc'
  name: 'fc6' | 'fc7' | 'fc8'
  /** [in, out]; fc6's input is the flattened side^2 x C feature map, row-major (h, w, c) */
  kernelShape: [number, number]
  relu: boolean
  /** side of the map this layer reads at the crop: crop/32 for fc6, 1 after it (its dense-mode filter side) */
  inputSide: number
  /** the input is a feature map (fc6), flattened for crops */
  flattenInput: boolean
}

export interface FcTrace {
  input: string
  /** after bias (and ReLU) */
  out: string
}

const matmul = (transposeA: boolean, transposeB: boolean, dtype: ComputeDtype) => ({transpose_a: {b: transposeA}, transpose_b: {b: transposeB}, ...tOf(dtype)})

/** The dense-mode conv filter of an FC kernel: [side, side, in / side^2, out]. */
export function denseFilterShape(layer: FcLayer): [number, number, number, number] {
  const [inDim, outDim] = layer.kernelShape
  const side = layer.inputSide
  return [side, side, inDim / (side * side), outDim]
}

export const fc: LayerKind<FcLayer, FcTrace> = {
  variables: (layer) => kernelAndBias(layer.name, layer.kernelShape),

  macs: (layer) => layer.kernelShape[0] * layer.kernelShape[1],

  eager: (layer, x, ctx) => {
    const bias = ctx.weight(`${layer.name}/bias`)
    const activation = layer.relu ? 'relu' : 'linear'
    if (ctx.mode === 'dense') return tf.fused.conv2d({x: x as tf.Tensor4D, filter: ctx.denseFilter(layer.name), strides: 1, pad: 'valid', bias, activation})
    const a = layer.flattenInput ? tf.reshape(x, [x.shape[0], -1]) : x
    return tf.fused.matMul({a: a as tf.Tensor2D, b: ctx.weight(`${layer.name}/kernel`) as tf.Tensor2D, bias, activation})
  },

  graphForward: (layer, x, {g, mode, weight, dtype}) => {
    const kernel = weight(`${layer.name}/kernel`)
    let input = x
    let z: string
    if (mode === 'logits') {
      if (layer.flattenInput) input = g.add('Reshape', [x, g.intConst([-1, layer.kernelShape[0]])], reshapeAttrs(dtype))
      z = g.add('MatMul', [input, kernel], matmul(false, false, dtype))
    } else {
      const filterShape = denseFilterShape(layer)
      const filter = g.add('Reshape', [kernel, g.intConst(filterShape)], reshapeAttrs(dtype))
      z = conv2dForward(g, x, filter, filterShape[2], dtype, 'VALID')
    }
    let out = g.add('BiasAdd', [z, weight(`${layer.name}/bias`)], biasAttrs(dtype))
    if (layer.relu) out = g.add('Relu', [out], tOf(dtype))
    return {out, trace: {input, out}}
  },

  graphBackward: (layer, dy, trace, {g, weight, dtype}) => {
    const dz = layer.relu ? g.add('ReluGrad', [dy, trace.out], tOf(dtype)) : dy
    const grads: [string, string][] = [
      [`${layer.name}/kernel`, g.add('MatMul', [trace.input, dz], matmul(true, false, dtype))],
      [`${layer.name}/bias`, g.add('BiasAddGrad', [dz], biasAttrs(dtype))],
    ]
    let dx = g.add('MatMul', [dz, weight(`${layer.name}/kernel`)], matmul(false, true, dtype))
    if (layer.flattenInput) {
      const [side, , channels] = denseFilterShape(layer)
      dx = g.add('Reshape', [dx, g.intConst([-1, side, side, channels])], reshapeAttrs(dtype))
    }
    return {dx, grads}
  },
}
