// What every layer kind provides, so the eager net (vgg-net.ts), the graph forward
// (forward-graph.ts: evaluation and the training graph) and the training graph's
// backward pass (train/train-graph.ts) are loops over planNet()'s layers. A layer
// kind is one file of this folder plus its line in index.ts; its backward is checked
// against tfjs autodiff of its eager forward (test/models/layer-gradients.test.ts).
import type * as tf from '@tensorflow/tfjs-core'
import type {ComputeDtype, GraphBuilder} from '../../backend/graph-builder.js'

/** 'logits': crops in, class scores out; 'dense': FC layers as convolutions over the whole image (paper 3.2). */
export type ForwardMode = 'logits' | 'dense'

export interface EagerContext {
  mode: ForwardMode
  /** a variable by its name in the net (`conv1_1/kernel`) */
  weight(name: string): tf.Tensor
  /** an FC kernel reshaped to its dense-mode conv filter (the net caches these) */
  denseFilter(layer: string): tf.Tensor4D
  /** dropout is applied when training */
  training: boolean
  dropoutSeed: number
  dropoutRate: number
}

export interface GraphContext {
  g: GraphBuilder
  mode: ForwardMode
  /** what the layer's input, output and weight nodes hold (bfloat16: mixed precision) */
  dtype: ComputeDtype
  /** the node holding a variable's value */
  weight(name: string): string
  /** the node of a dropout layer's scale-or-zero mask (training graph); unset, dropout adds nothing */
  mask?: (stream: string) => string
}

export interface BackwardContext {
  g: GraphBuilder
  /** the forward's dtype: dy, dx and the gradients are in it */
  dtype: ComputeDtype
  weight(name: string): string
  /** false for the first layer: the gradient w.r.t. the images is never needed */
  needInputGrad: boolean
}

export interface Backward {
  /** the gradient w.r.t. the layer's input (undefined when not needed) */
  dx: string | undefined
  /** [variable name, gradient node] */
  grads: [string, string][]
}

export interface LayerKind<L, Trace> {
  /** trainable variables in order: [name, shape] */
  variables(layer: L): [string, number[]][]
  /** multiply-adds per crop x crop image (the cost model; 0 for cheap layers) */
  macs(layer: L): number
  eager(layer: L, x: tf.Tensor, ctx: EagerContext): tf.Tensor
  /** adds the layer's forward nodes after `x`; the trace holds what its backward needs */
  graphForward(layer: L, x: string, ctx: GraphContext): {out: string; trace: Trace}
  /** adds the gradient nodes for upstream gradient `dy` */
  graphBackward(layer: L, dy: string, trace: Trace, ctx: BackwardContext): Backward
}

/** kernel then bias, as the net names them */
export function kernelAndBias(name: string, kernelShape: readonly number[]): [string, number[]][] {
  return [
    [`${name}/kernel`, [...kernelShape]],
    [`${name}/bias`, [kernelShape[kernelShape.length - 1]]],
  ]
}
