// Expands a NetSpec into its ordered weight layers with exact shapes. Everything
// that needs shapes (variables, parameter and FLOP counts, copy-from-A) uses this.
import {CONFIGS, isConfigName} from './configs.js'
import type {NetSpec} from './types.js'

export interface ConvLayer {
  kind: 'conv'
  /** `conv<block>_<index in block>`, both 1-based (Caffe / paper-release naming) */
  name: string
  /** [k, k, inChannels, outChannels] */
  kernelShape: [number, number, number, number]
  /** spatial side of this layer's input (and output: SAME padding) at the crop */
  inputSide: number
  lrnAfter: boolean
  poolAfter: boolean
}

export interface FcLayer {
  kind: 'fc'
  name: 'fc6' | 'fc7' | 'fc8'
  /** [in, out]; fc6's input is the flattened (crop/32)^2 x C feature map, row-major (h, w, c) */
  kernelShape: [number, number]
  relu: boolean
  /** dropout on the output when training (fc6, fc7) */
  dropout: boolean
}

export interface NetPlan {
  spec: NetSpec
  convs: ConvLayer[]
  fcs: [FcLayer, FcLayer, FcLayer]
  /** side of the last feature map at the crop: crop / 32 (= fc6's conv kernel in dense mode) */
  finalSide: number
  finalChannels: number
}

export class NetSpecError extends Error {}

/** Throws NetSpecError with every problem of the spec. */
export function validateSpec(spec: NetSpec): void {
  const problems: string[] = []
  if (!isConfigName(spec.config)) problems.push(`config "${String(spec.config)}" is not one of A, A-LRN, B, C, D, E`)
  if (!(Number.isFinite(spec.widthFactor) && spec.widthFactor > 0)) problems.push(`widthFactor ${spec.widthFactor} must be > 0`)
  else if (Math.round(64 * spec.widthFactor) < 1) problems.push(`widthFactor ${spec.widthFactor} leaves conv1 with 0 channels (need >= 1/128)`)
  for (const key of ['fcWidth', 'numClasses', 'crop'] as const) {
    if (!(Number.isInteger(spec[key]) && spec[key] > 0)) problems.push(`${key} ${spec[key]} must be a positive integer`)
  }
  if (Number.isInteger(spec.crop) && spec.crop % 32 !== 0) problems.push(`crop ${spec.crop} must be a multiple of 32 (five 2x2 max-pools)`)
  if (problems.length > 0) throw new NetSpecError(`invalid NetSpec: ${problems.join('; ')}`)
}

export function convChannels(paperChannels: number, widthFactor: number): number {
  return Math.max(1, Math.round(paperChannels * widthFactor))
}

export function planNet(spec: NetSpec): NetPlan {
  validateSpec(spec)
  const def = CONFIGS[spec.config]
  const convs: ConvLayer[] = []
  let channels = 3
  let side = spec.crop
  def.blocks.forEach((block, b) => {
    block.forEach(([k, paperChannels], i) => {
      const out = convChannels(paperChannels, spec.widthFactor)
      convs.push({
        kind: 'conv',
        name: `conv${b + 1}_${i + 1}`,
        kernelShape: [k, k, channels, out],
        inputSide: side,
        lrnAfter: def.lrnAfterFirstConv && convs.length === 0,
        poolAfter: i === block.length - 1,
      })
      channels = out
    })
    side /= 2
  })
  const finalSide = spec.crop / 32
  const flat = finalSide * finalSide * channels
  return {
    spec,
    convs,
    fcs: [
      {kind: 'fc', name: 'fc6', kernelShape: [flat, spec.fcWidth], relu: true, dropout: true},
      {kind: 'fc', name: 'fc7', kernelShape: [spec.fcWidth, spec.fcWidth], relu: true, dropout: true},
      {kind: 'fc', name: 'fc8', kernelShape: [spec.fcWidth, spec.numClasses], relu: false, dropout: false},
    ],
    finalSide,
    finalChannels: channels,
  }
}

/** Variable names and shapes in layer order: kernel then bias per layer. */
export function variableShapes(plan: NetPlan): [string, number[]][] {
  const out: [string, number[]][] = []
  for (const layer of [...plan.convs, ...plan.fcs]) {
    const outChannels = layer.kernelShape[layer.kernelShape.length - 1]
    out.push([`${layer.name}/kernel`, [...layer.kernelShape]], [`${layer.name}/bias`, [outChannels]])
  }
  return out
}
