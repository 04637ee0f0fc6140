// The net's forward pass as graph nodes: a loop over the plan's layers, each added
// by its kind's graph forward (layers/), the same layers as the eager net. Used by
// evaluation (graph-forward-net.ts, 'logits' and 'dense') and by the training graph
// (train/train-graph.ts), which gets each layer's trace back for its backward pass.
import type {GraphBuilder} from '../backend/graph-builder.js'
import {layerKind, type ForwardMode, type Layer} from './layers/index.js'
import type {NetPlan} from './plan.js'

export interface ForwardGraph {
  /** logits [N, classes] or, in dense mode, the class score map [N, h, w, classes] */
  output: string
  /** per plan layer: the nodes its backward needs */
  traces: {layer: Layer; trace: unknown}[]
}

export interface ForwardGraphOptions {
  mode: ForwardMode
  /** node holding a variable's value, by the net's variable name (`conv1_1/kernel`) */
  weight: (name: string) => string
  /** dropout mask node of a dropout layer's stream (training only) */
  mask?: (stream: string) => string
}

export function addForward(g: GraphBuilder, plan: NetPlan, input: string, opts: ForwardGraphOptions): ForwardGraph {
  const traces: ForwardGraph['traces'] = []
  let h = input
  for (const layer of plan.layers) {
    const {out, trace} = layerKind(layer).graphForward(layer, h, {g, ...opts})
    traces.push({layer, trace})
    h = out
  }
  return {output: h, traces}
}
