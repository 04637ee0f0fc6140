// Initialising a deeper net from a trained net A (paper 3.1): "we initialised the
// first four convolutional layers and the last three fully-connected layers with
// the layers of net A".
//
// Mapping: A's first four conv layers are conv1_1, conv2_1, conv3_1, conv3_2. They
// are copied into the target's layers OF THE SAME NAME (same block, same position
// in the block), not into the target's first four conv layers by position: by
// position, A's conv2_1 (64 -> 128 channels) would land on B's conv1_2 (64 -> 64),
// a shape that cannot hold it. By name the shapes match for every config (C's 1x1
// convs come third in blocks 3-5, so conv3_1/conv3_2 are still 3x3), and each
// copied layer sees the same input resolution and channel meaning it had in A.
// fc6-fc8 are copied as is (the target must have the same crop, width and classes).
import {assignWeight, assertShape, type VggNet} from './vgg-net.js'
import type {WeightMap} from './types.js'

export const COPIED_FROM_A_CONVS = 4
export const COPIED_FROM_A_FCS = ['fc6', 'fc7', 'fc8'] as const

/** The layer names copyFromA will take from `aWeights`: its first four conv layers, then fc6-fc8. */
export function layersCopiedFromA(aWeights: WeightMap): string[] {
  const convs: string[] = []
  for (const name of aWeights.keys()) {
    const layer = name.split('/')[0]
    if (layer.startsWith('conv') && !convs.includes(layer)) convs.push(layer)
  }
  if (convs.length < COPIED_FROM_A_CONVS) {
    throw new Error(`copyFromA: the source weights have ${convs.length} conv layers, need at least ${COPIED_FROM_A_CONVS}`)
  }
  return [...convs.slice(0, COPIED_FROM_A_CONVS), ...COPIED_FROM_A_FCS]
}

/**
 * Copy the first four conv layers and fc6-fc8 (kernels and biases) of `aWeights`
 * into `target`. Checks every shape before writing anything, so a mismatch leaves
 * the target untouched. Returns the copied variable names.
 */
export function copyFromA(target: VggNet, aWeights: WeightMap): string[] {
  const names = layersCopiedFromA(aWeights).flatMap((layer) => [`${layer}/kernel`, `${layer}/bias`])
  for (const name of names) {
    const source = aWeights.get(name)
    if (source === undefined) throw new Error(`copyFromA: the source weights have no ${name}`)
    const variable = target.variables.get(name)
    if (variable === undefined) throw new Error(`copyFromA: net ${target.spec.config} has no ${name}`)
    try {
      assertShape(name, variable.shape, source.shape)
    } catch {
      throw new Error(
        `copyFromA: ${name} of net ${target.spec.config} has shape [${variable.shape.join(',')}] ` +
          `but net A's has [${source.shape.join(',')}] (same crop, widthFactor, fcWidth and classes needed)`,
      )
    }
  }
  for (const name of names) {
    const source = aWeights.get(name)!
    assignWeight(target.variables.get(name)!, source.data, source.shape)
  }
  return names
}
