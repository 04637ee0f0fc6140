// Memory-bounded batch sizes. `batchSize` is the number of crop x crop samples per
// forward call (as in training); a larger input costs proportionally more, so the
// count scales with the pixel area. A byte budget on the activations caps it too.
import type {EvalNet} from './types.js'

export interface BatchLimits {
  /** samples of crop x crop per forward call */
  batchSize: number
  /** rough cap on activation memory of one forward call */
  memoryBytes: number
}

export const DEFAULT_LIMITS: BatchLimits = {batchSize: 64, memoryBytes: 1024 * 1024 * 1024}

/**
 * Live float32 activations per input pixel, in units of the first conv width: a
 * VGG forward pass inside one tf.tidy keeps every layer's output (conv, bias,
 * ReLU, pool); summed over the blocks that stays below ~16 x (H*W*c1).
 */
const ACTIVATION_FACTOR = 16

export function bytesPerSample(net: EvalNet, height: number, width: number): number {
  const c1 = Math.max(1, Math.round(64 * net.spec.widthFactor))
  return height * width * c1 * 4 * ACTIVATION_FACTOR
}

/** Samples of size H x W per forward call (at least 1). */
export function samplesPerCall(net: EvalNet, height: number, width: number, limits: BatchLimits): number {
  const crop = net.spec.crop
  const byCount = Math.floor((limits.batchSize * crop * crop) / (height * width))
  const byMemory = Math.floor(limits.memoryBytes / bytesPerSample(net, height, width))
  return Math.max(1, Math.min(byCount, byMemory))
}

/** Dense: each image goes with its flip, so two samples per image. */
export function denseImagesPerCall(net: EvalNet, height: number, width: number, limits: BatchLimits): number {
  return Math.max(1, Math.floor(samplesPerCall(net, height, width, limits) / 2))
}

/**
 * Multi-crop: crops per forward call, and images per group so a group's crops fill
 * whole calls (`cropsPerImage` = distinct crops of one image at this size).
 */
export function multiCropPlan(net: EvalNet, limits: BatchLimits, cropsPerImage: number): {cropsPerCall: number; imagesPerGroup: number} {
  const crop = net.spec.crop
  const cropsPerCall = samplesPerCall(net, crop, crop, limits)
  return {cropsPerCall, imagesPerGroup: Math.max(1, Math.floor(cropsPerCall / cropsPerImage))}
}
