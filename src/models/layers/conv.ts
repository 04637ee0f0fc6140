// 3x3 (or 1x1) convolution, stride 1, SAME padding, + bias + ReLU: one fused op in
// eager mode; Conv2D, BiasAdd, Relu in the graph (grappler fuses them). Backward:
// ReluGrad, then Conv2DBackpropFilter, BiasAddGrad and Conv2DBackpropInput, the ops
// TensorFlow's own autodiff emits.
import * as tf from '@tensorflow/tfjs-core'
import {biasAttrs, conv2dForward, convAttrs, tOf} from '../../backend/graph-builder.js'
import {kernelAndBias, type LayerKind} from './layer.js'

export interface ConvLayer {
  kind: 'conv'
  /** `conv<block>_<index in block>`, both 1-based (Caffe / paper-release naming) */
  name: string
  /** [k, k, inChannels, outChannels] */
  kernelShape: [number, number, number, number]
  /** spatial side of this layer's input (and output: SAME padding) at the crop */
  inputSide: number
}

export interface ConvTrace {
  input: string
  relu: string
}

export const conv: LayerKind<ConvLayer, ConvTrace> = {
  variables: (layer) => kernelAndBias(layer.name, layer.kernelShape),

  macs: (layer) => {
    const [k, , cin, cout] = layer.kernelShape
    return layer.inputSide * layer.inputSide * k * k * cin * cout
  },

  eager: (layer, x, ctx) =>
    tf.fused.conv2d({
      x: x as tf.Tensor4D,
      filter: ctx.weight(`${layer.name}/kernel`) as tf.Tensor4D,
      strides: 1,
      pad: 'same',
      bias: ctx.weight(`${layer.name}/bias`),
      activation: 'relu',
    }),

  graphForward: (layer, x, {g, weight, dtype}) => {
    const c = conv2dForward(g, x, weight(`${layer.name}/kernel`), layer.kernelShape[2], dtype)
    const relu = g.add('Relu', [g.add('BiasAdd', [c, weight(`${layer.name}/bias`)], biasAttrs(dtype))], tOf(dtype))
    return {out: relu, trace: {input: x, relu}}
  },

  graphBackward: (layer, dy, trace, {g, weight, needInputGrad, dtype}) => {
    const dz = g.add('ReluGrad', [dy, trace.relu], tOf(dtype))
    const grads: [string, string][] = [
      [`${layer.name}/kernel`, g.add('Conv2DBackpropFilter', [trace.input, g.intConst(layer.kernelShape), dz], convAttrs(dtype))],
      [`${layer.name}/bias`, g.add('BiasAddGrad', [dz], biasAttrs(dtype))],
    ]
    if (!needInputGrad) return {dx: undefined, grads}
    const inputShape = g.add('Shape', [trace.input], {...tOf(dtype), out_type: {type: 'int32'}})
    return {dx: g.add('Conv2DBackpropInput', [inputShape, weight(`${layer.name}/kernel`), dz], convAttrs(dtype)), grads}
  },
}
