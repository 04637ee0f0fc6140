// Parameter and FLOP counts from the plan alone (no tensors), for `models` and Table 2.
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
  const plan = planNet(spec)
  let macs = 0
  for (const conv of plan.convs) {
    const [k, , cin, cout] = conv.kernelShape
    macs += conv.inputSide * conv.inputSide * k * k * cin * cout
  }
  for (const fc of plan.fcs) macs += fc.kernelShape[0] * fc.kernelShape[1]
  return 2 * macs
}
