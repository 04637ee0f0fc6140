// Parameter and FLOP counts from the plan alone (no tensors), for `models` and Table 2.
import {layerKind} from './layers/index.js'
import {planNet, variableShapes} from './plan.js'
import type {NetSpec} from './types.js'

export function countParams(spec: NetSpec): number {
  return variableShapes(planNet(spec)).reduce((sum, [, shape]) => sum + shape.reduce((a, b) => a * b, 1), 0)
}

/**
 * Forward FLOPs for one crop x crop image: convolutions and FC layers only, a
 * multiply-add counted as 2 FLOPs. Bias, ReLU, pooling and LRN are left out
 * (under 0.1% of the total), as is usual for VGG's quoted ~15.5 G multiply-adds (D).
 */
export function forwardFlops(spec: NetSpec): number {
  return 2 * planNet(spec).layers.reduce((macs, layer) => macs + layerKind(layer).macs(layer), 0)
}
