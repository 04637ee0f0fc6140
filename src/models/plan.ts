// Expands a NetSpec into its ordered layers with exact shapes: the one description
// of the network. The eager net, the graph forward, the training graph's backward
// pass, the variables and the parameter and FLOP counts are all loops over it.
import {CONFIGS, isConfigName} from './configs.js'
import {layerKind, type Layer} from './layers/index.js'
import type {NetSpec} from './types.js'

export interface NetPlan {
  spec: NetSpec
  /** in order: per conv layer conv (+ lrn) (+ pool at a block's end), then fc6, drop6, fc7, drop7, fc8 */
  layers: Layer[]
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
  const layers: Layer[] = []
  let channels = 3
  let side = spec.crop
  def.blocks.forEach((block, b) => {
    block.forEach(([k, paperChannels], i) => {
      const out = convChannels(paperChannels, spec.widthFactor)
      const name = `conv${b + 1}_${i + 1}`
      const first = layers.length === 0
      layers.push({kind: 'conv', name, kernelShape: [k, k, channels, out], inputSide: side})
      if (def.lrnAfterFirstConv && first) layers.push({kind: 'lrn', name: `lrn${b + 1}_${i + 1}`, channels: out})
      if (i === block.length - 1) layers.push({kind: 'pool', name: `pool${b + 1}`})
      channels = out
    })
    side /= 2
  })
  const finalSide = spec.crop / 32
  const fcs = [
    {name: 'fc6', in: finalSide * finalSide * channels, out: spec.fcWidth, inputSide: finalSide},
    {name: 'fc7', in: spec.fcWidth, out: spec.fcWidth, inputSide: 1},
    {name: 'fc8', in: spec.fcWidth, out: spec.numClasses, inputSide: 1},
  ] as const
  for (const f of fcs) {
    const last = f.name === 'fc8'
    layers.push({kind: 'fc', name: f.name, kernelShape: [f.in, f.out], relu: !last, inputSide: f.inputSide, flattenInput: f.name === 'fc6'})
    // dropout on the outputs of fc6 and fc7 when training (paper 3.1)
    if (!last) layers.push({kind: 'dropout', name: `drop${f.name.slice(2)}`, stream: f.name, width: f.out})
  }
  return {spec, layers, finalSide, finalChannels: channels}
}

/** The plan's layers of one kind, in order. */
export function layersOf<K extends Layer['kind']>(plan: NetPlan, kind: K): Extract<Layer, {kind: K}>[] {
  return plan.layers.filter((l): l is Extract<Layer, {kind: K}> => l.kind === kind)
}

/** Variable names and shapes in layer order: kernel then bias per layer. */
export function variableShapes(plan: NetPlan): [string, number[]][] {
  return plan.layers.flatMap((layer) => layerKind(layer).variables(layer))
}
