// Rows of the `models` command: each Table 1 config at one scale.
import {CONFIGS, CONFIG_NAMES} from './configs.js'
import {countParams, forwardFlops} from './cost.js'
import type {ConfigName, NetSpec} from './types.js'

export interface ModelSummary {
  config: ConfigName
  /** weight layers (conv + FC), as in the paper's names (11 ... 19) */
  depth: number
  params: number
  /** forward FLOPs per crop x crop image (multiply-add = 2) */
  forwardFlops: number
  /** Table 2 (millions); only comparable at paper scale */
  paperParamsM: number
  spec: NetSpec
}

export function summarizeModels(scale: Omit<NetSpec, 'config'>): ModelSummary[] {
  return CONFIG_NAMES.map((config) => {
    const spec: NetSpec = {config, ...scale}
    return {
      config,
      depth: CONFIGS[config].depth,
      params: countParams(spec),
      forwardFlops: forwardFlops(spec),
      paperParamsM: CONFIGS[config].paperParamsM,
      spec,
    }
  })
}
