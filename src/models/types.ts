// Shared types of the models module (the contract in ARCHITECTURE.md).

export type ConfigName = 'A' | 'A-LRN' | 'B' | 'C' | 'D' | 'E'

/** A network instance: a Table 1 config scaled to a width, head and crop. */
export interface NetSpec {
  config: ConfigName
  /** conv channels = round(paper channels x widthFactor) */
  widthFactor: number
  /** replaces the paper's FC-4096 */
  fcWidth: number
  numClasses: number
  /** training crop side; a multiple of 32 (five 2x2 pools) */
  crop: number
}

/** Weight initialisation; biases are always 0. */
export type InitSpec = {kind: 'normal'; std: number} | {kind: 'glorot'} | {kind: 'he'; fcStd?: number}

/** Host copy of one variable. */
export interface WeightValue {
  shape: number[]
  data: Float32Array
}

/** Variable name (e.g. `conv1_1/kernel`) -> host copy, in layer order. */
export type WeightMap = Map<string, WeightValue>
