// The layer kinds of the VGG nets, by the `kind` planNet() gives each layer.
// A new kind: its file (see layer.ts), its plan type in Layer and its entry here.
import {conv, type ConvLayer} from './conv.js'
import {dropout, type DropoutLayer} from './dropout.js'
import {fc, type FcLayer} from './fc.js'
import type {LayerKind} from './layer.js'
import {lrnLayer, type LrnLayer} from './lrn.js'
import {pool, type PoolLayer} from './pool.js'

export type Layer = ConvLayer | LrnLayer | PoolLayer | FcLayer | DropoutLayer

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kind has its own trace type
const KINDS: {[K in Layer['kind']]: LayerKind<Extract<Layer, {kind: K}>, any>} = {
  conv,
  lrn: lrnLayer,
  pool,
  fc,
  dropout,
}

/** The implementation of `layer`'s kind; traces are opaque to callers, who hand them back. */
export function layerKind(layer: Layer): LayerKind<Layer, unknown> {
  return KINDS[layer.kind] as unknown as LayerKind<Layer, unknown>
}

export type {ConvLayer, DropoutLayer, FcLayer, LrnLayer, PoolLayer}
export type {Backward, BackwardContext, EagerContext, ForwardMode, GraphContext, LayerKind} from './layer.js'
