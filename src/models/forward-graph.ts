// The net's forward pass as graph nodes: a loop over the plan's layers, each added
// by its kind's graph forward (layers/), the same layers as the eager net. Used by
// evaluation (graph-forward-net.ts, 'logits' and 'dense') and by the training graph
// (train/train-graph.ts), which gets each layer's trace back for its backward pass.
//
// Mixed precision (dtype 'bfloat16', src/backend/precision.ts): the float32 input and
// each float32 weight are cast once, the layers compute in bfloat16, and the output is
// cast back, so callers always see float32 logits or score maps.
import {castTo, type ComputeDtype, type GraphBuilder} from '../backend/graph-builder.js'
import {layerKind, type ForwardMode, type Layer} from './layers/index.js'
import type {NetPlan} from './plan.js'

export interface ForwardGraph {
  /** float32 logits [N, classes] or, in dense mode, the class score map [N, h, w, classes] */
  output: string
  /** the same output before its cast back to float32 (the backward pass starts here) */
  computeOutput: string
  /** per plan layer: the nodes its backward needs */
  traces: {layer: Layer; trace: unknown}[]
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
}

export function addForward(g: GraphBuilder, plan: NetPlan, input: string, opts: ForwardGraphOptions): ForwardGraph {
  const dtype = opts.dtype ?? 'float32'
  const cast = new Map<string, string>()
  const computeWeight = (name: string): string => {
    let node = cast.get(name)
    if (node === undefined) cast.set(name, (node = castTo(g, opts.weight(name), 'float32', dtype)))
    return node
  }
  const traces: ForwardGraph['traces'] = []
  let h = castTo(g, input, 'float32', dtype)
  for (const layer of plan.layers) {
    const {out, trace} = layerKind(layer).graphForward(layer, h, {g, mode: opts.mode, weight: computeWeight, mask: opts.mask, dtype})
    traces.push({layer, trace})
    h = out
  }
  return {output: castTo(g, h, dtype, 'float32'), computeOutput: h, traces, dtype, computeWeight}
}
