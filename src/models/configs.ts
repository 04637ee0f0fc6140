// Table 1 of the paper as data: per block, the conv layers in order.
// A layer is [kernel size, paper channels]; every block ends in a 2x2/2 max-pool,
// every conv is followed by ReLU. A-LRN puts LRN after its first conv.
import type {ConfigName, NetSpec} from './types.js'

export type ConvDef = readonly [kernel: 1 | 3, channels: number]

export interface ConfigDef {
  /** five blocks of conv layers */
  blocks: readonly (readonly ConvDef[])[]
  /** apply LRN after the first conv layer (A-LRN only) */
  lrnAfterFirstConv: boolean
  /** weight layers counted by the paper (conv + 3 FC) */
  depth: number
  /** Table 2, millions of parameters at paper scale */
  paperParamsM: number
}

const c3 = (channels: number): ConvDef => [3, channels]
const c1 = (channels: number): ConvDef => [1, channels]
const times = (n: number, layer: ConvDef): ConvDef[] => Array.from({length: n}, () => layer)

const blocksA = [[c3(64)], [c3(128)], times(2, c3(256)), times(2, c3(512)), times(2, c3(512))]

export const CONFIGS: Readonly<Record<ConfigName, ConfigDef>> = {
  A: {blocks: blocksA, lrnAfterFirstConv: false, depth: 11, paperParamsM: 133},
  'A-LRN': {blocks: blocksA, lrnAfterFirstConv: true, depth: 11, paperParamsM: 133},
  B: {
    blocks: [times(2, c3(64)), times(2, c3(128)), times(2, c3(256)), times(2, c3(512)), times(2, c3(512))],
    lrnAfterFirstConv: false,
    depth: 13,
    paperParamsM: 133,
  },
  C: {
    blocks: [
      times(2, c3(64)),
      times(2, c3(128)),
      [c3(256), c3(256), c1(256)],
      [c3(512), c3(512), c1(512)],
      [c3(512), c3(512), c1(512)],
    ],
    lrnAfterFirstConv: false,
    depth: 16,
    paperParamsM: 134,
  },
  D: {
    blocks: [times(2, c3(64)), times(2, c3(128)), times(3, c3(256)), times(3, c3(512)), times(3, c3(512))],
    lrnAfterFirstConv: false,
    depth: 16,
    paperParamsM: 138,
  },
  E: {
    blocks: [times(2, c3(64)), times(2, c3(128)), times(4, c3(256)), times(4, c3(512)), times(4, c3(512))],
    lrnAfterFirstConv: false,
    depth: 19,
    paperParamsM: 144,
  },
}

export const CONFIG_NAMES = Object.keys(CONFIGS) as ConfigName[]

/** The paper's scale: 224 crops, full width, FC-4096, ImageNet's 1000 classes. */
export const PAPER_SCALE: Omit<NetSpec, 'config'> = {widthFactor: 1, fcWidth: 4096, numClasses: 1000, crop: 224}

export function isConfigName(name: string): name is ConfigName {
  return Object.hasOwn(CONFIGS, name)
}
