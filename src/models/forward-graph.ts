// The net's forward pass as graph nodes: a loop over the plan's layers, each added
// by its kind's graph forward (layers/), the same layers as the eager net. Used by
// evaluation (graph-forward-net.ts, 'logits' and 'dense') and by the training graph
// (train/train-graph.ts), which gets each layer's trace back for its backward pass.
//
// Mixed precision (dtype 'bfloat16', src/backend/precision.ts): the float32 input and
// each float32 weight are cast once, the layers compute in bfloat16, and the output is
// cast back, so callers always see float32 logits or score maps. A layer may compute in
// another dtype than the graph's (layerDtype: narrow convolutions stay float32); the
// activations are cast where the dtype changes, and each trace records its layer's dtype.
import {castTo, type ComputeDtype, type GraphBuilder} from '../backend/graph-builder.js'
import {layerKind, type ForwardMode, type Layer} from './layers/index.js'
import type {NetPlan} from './plan.js'

export interface ForwardGraph {
  /** float32 logits [N, classes] or, in dense mode, the class score map [N, h, w, classes] */
  output: string
  /** the same output before its cast back to float32 (the backward pass starts here) */
  computeOutput: string
  /** per plan layer: the nodes its backward needs */
  traces: {layer: Layer; trace: unknown; dtype: ComputeDtype}[]
  /** the graph's compute dtype (the dtype of computeOutput) */
  dtype: ComputeDtype
  /** a variable's value in the compute dtype (the node the layers read) */
  computeWeight: (name: string) => string
}

export interface ForwardGraphOptions {
  mode: ForwardMode
  /** float32 node holding a variable's value, by the net's variable name (`conv1_1/kernel`) */
  weight: (name: string) => string
  /** float32 dropout mask node of a dropout layer's stream (training only) */
  mask?: (stream: string) => string
  /** what the layers compute in; default float32 */
  dtype?: ComputeDtype
  /** a layer's own dtype where it differs from `dtype` (undefined: the dtype its input is in) */
  layerDtype?: (layer: Layer, dtype: ComputeDtype) => ComputeDtype | undefined
}

// EXPERIMENT: convolutions narrower than this many channels (in or out) stay float32 in a bfloat16 graph
const BF16_MIN_CHANNELS = Number(process.env.VGG_REPRO_BF16_MIN_CHANNELS ?? 0)
export function narrowConvsInFloat32(layer: Layer, dtype: ComputeDtype): ComputeDtype | undefined {
  if (layer.kind !== 'conv' && layer.kind !== 'fc') return undefined
  if (dtype === 'bfloat16' && layer.kind === 'conv' && Math.min(layer.kernelShape[2], layer.kernelShape[3]) < BF16_MIN_CHANNELS) return 'float32'
  return dtype
}

export function addForward(g: GraphBuilder, plan: NetPlan, input: string, opts: ForwardGraphOptions): ForwardGraph {
  const dtype = opts.dtype ?? 'float32'
  const layerDtype = opts.layerDtype ?? narrowConvsInFloat32
  // each variable belongs to one layer, so one cast per variable, to that layer's dtype
  const cast = new Map<string, string>()
  const weightIn = (layerDtype: ComputeDtype) => (name: string): string => {
    let node = cast.get(name)
    if (node === undefined) cast.set(name, (node = castTo(g, opts.weight(name), 'float32', layerDtype)))
    return node
  }
  const traces: ForwardGraph['traces'] = []
  let hDtype: ComputeDtype = layerDtype(plan.layers[0], dtype) ?? dtype
  let h = castTo(g, input, 'float32', hDtype)
  for (const layer of plan.layers) {
    const own = layerDtype(layer, dtype) ?? hDtype
    h = castTo(g, h, hDtype, own)
    hDtype = own
    const {out, trace} = layerKind(layer).graphForward(layer, h, {g, mode: opts.mode, weight: weightIn(own), mask: opts.mask, dtype: own})
    traces.push({layer, trace, dtype: own})
    h = out
  }
  const computeOutput = castTo(g, h, hDtype, dtype)
  return {output: castTo(g, computeOutput, dtype, 'float32'), computeOutput, traces, dtype, computeWeight: (name) => cast.get(name) ?? weightIn(dtype)(name)}
}
