// VggNet's forward pass as graph nodes (the same layers as vgg-net.ts): conv + bias
// + ReLU, LRN where the config has it, 2x2/2 max-pools, then the FC layers either
// as matrix products on the flattened crop ('logits') or as convolutions over the
// whole image ('dense', paper 3.2). Returns the intermediate nodes, which the
// training graph's hand-written backward pass needs.
import {LRN_PARAMS} from '../lrn.js'
import type {NetPlan} from '../plan.js'
import {F32, GraphBuilder} from './graph-builder.js'

export const T = {T: F32}
export const CONV_ATTRS = {strides: {ints: [1, 1, 1, 1]}, padding: {s: 'SAME'}, data_format: {s: 'NHWC'}, ...T}
export const POOL_ATTRS = {ksize: {ints: [1, 2, 2, 1]}, strides: {ints: [1, 2, 2, 1]}, padding: {s: 'VALID'}, data_format: {s: 'NHWC'}, ...T}
export const LRN_ATTRS = {
  depth_radius: {i: LRN_PARAMS.depthRadius},
  bias: {f: LRN_PARAMS.bias},
  alpha: {f: LRN_PARAMS.alpha},
  beta: {f: LRN_PARAMS.beta},
  ...T,
}
export const BIAS_ATTRS = {data_format: {s: 'NHWC'}, ...T}

export interface ConvTrace {
  input: string
  relu: string
  lrn?: string
  prePool?: string
  pooled?: string
}

export interface FcTrace {
  input: string
  /** after bias (and ReLU), before dropout */
  out: string
  mask?: string
}

export interface ForwardGraph {
  /** logits [N, classes] or, in dense mode, the class score map [N, h, w, classes] */
  output: string
  convs: ConvTrace[]
  fcs: FcTrace[]
}

export interface ForwardOptions {
  mode: 'logits' | 'dense'
  /** node holding a variable's value, by the net's variable name (`conv1_1/kernel`) */
  weight: (name: string) => string
  /** dropout mask node for an FC layer with dropout (training only) */
  mask?: (layer: string) => string
}

export function addForward(g: GraphBuilder, plan: NetPlan, input: string, opts: ForwardOptions): ForwardGraph {
  const {weight} = opts
  const convs: ConvTrace[] = []
  let h = input
  for (const layer of plan.convs) {
    const trace: ConvTrace = {input: h, relu: ''}
    const c = g.add('Conv2D', [h, weight(`${layer.name}/kernel`)], CONV_ATTRS)
    h = trace.relu = g.add('Relu', [g.add('BiasAdd', [c, weight(`${layer.name}/bias`)], BIAS_ATTRS)], T)
    if (layer.lrnAfter) h = trace.lrn = g.add('LRN', [h], LRN_ATTRS)
    if (layer.poolAfter) {
      trace.prePool = h
      h = trace.pooled = g.add('MaxPool', [h], POOL_ATTRS)
    }
    convs.push(trace)
  }
  const fcs: FcTrace[] = []
  if (opts.mode === 'logits') h = g.add('Reshape', [h, g.intConst([-1, plan.finalSide * plan.finalSide * plan.finalChannels])], {...T, Tshape: {type: 'int32'}})
  for (const layer of plan.fcs) {
    const trace: FcTrace = {input: h, out: ''}
    const kernel = weight(`${layer.name}/kernel`)
    let z: string
    if (opts.mode === 'logits') {
      z = g.add('MatMul', [h, kernel], {transpose_a: {b: false}, transpose_b: {b: false}, ...T})
    } else {
      // fc6 sees the flattened (h, w, c) map row-major, so a plain reshape is its k x k x C filter
      const side = layer.name === 'fc6' ? plan.finalSide : 1
      const [inDim, outDim] = layer.kernelShape
      const filter = g.add('Reshape', [kernel, g.intConst([side, side, inDim / (side * side), outDim])], {...T, Tshape: {type: 'int32'}})
      z = g.add('Conv2D', [h, filter], {...CONV_ATTRS, padding: {s: 'VALID'}})
    }
    h = trace.out = g.add('BiasAdd', [z, weight(`${layer.name}/bias`)], BIAS_ATTRS)
    if (layer.relu) h = trace.out = g.add('Relu', [h], T)
    if (layer.dropout && opts.mask !== undefined) {
      trace.mask = opts.mask(layer.name)
      h = g.add('Mul', [h, trace.mask], T)
    }
    fcs.push(trace)
  }
  return {output: h, convs, fcs}
}
