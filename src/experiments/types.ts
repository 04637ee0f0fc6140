// Shared data shapes of the declarative experiments: profiles, paper tables,
// qualitative claims and row results. Profile and RowResult are the contracts
// of ARCHITECTURE.md; the table and claim shapes are what the YAML files hold.

export type TableName = 'table3' | 'table4' | 'table5' | 'table6'
export const TABLE_NAMES: readonly TableName[] = ['table3', 'table4', 'table5', 'table6']

import type {PrecisionSetting} from '../backend/precision.js'
import type {ConfigName, InitSpec} from '../models/types.js'
import type {SlurmResources} from './slurm-resources.js'

/** A profile's lr schedule: fixed decays at fractions of each stage, or the paper's plateau rule. */
export type LrSchedule =
  | {kind: 'step'; decayAt: number[]}
  | {kind: 'plateau'; patience: number; maxDecays: number; minDelta: number}

export interface Profile {
  name: string
  description: string
  /** default dataset: a name ('imagenette') or a path; --data overrides */
  dataset: string
  /** of the default dataset (the real count comes from the data) */
  numClasses: number
  /** training crop (paper 224), a multiple of 32 */
  crop: number
  /** conv channels x this (paper 1) */
  widthFactor: number
  /** FC-4096 -> this (paper 4096) */
  fcWidth: number
  batchSize: number
  /** caps per stage (paper 74 for all) */
  epochs: {base: number; s384: number; jitter: number}
  lr: {initial: number; finetune: number; decayFactor: number; warmupEpochs?: number; schedule: LrSchedule}
  momentum: number
  weightDecay: number
  dropout: number
  colorShiftStd: number
  init: InitSpec
  /** optional caps (smoke) */
  maxTrainImages?: number
  maxValImages?: number
  /** training images held out as the minival (per-epoch validation, plateau schedule) */
  minivalImages: number
  evalBatchSize: number
  seed: number
  /** net A trained with `seeds` seeds in all: the measured training-run noise the claims' intervals include */
  seedNoise?: {seeds: number}
  /** every trained net k times, seed i following the init chain within itself (default 1; --seeds overrides) */
  seeds?: number
  /** the budget planner's noise model until a run of this profile has recorded one */
  noiseDefaults?: NoiseDefaults
  /** optional wall-time budget of `all` on this profile; `plan` compares its estimate to it (addition to the contract) */
  timeBudgetMinutes?: number
  /** what the graphs compute in: fp32, bf16 mixed precision, or auto (resolved per machine, src/backend/precision.ts) */
  precision: PrecisionSetting
  /** what a run of this profile can and cannot show (printed in summary.md) */
  scope?: string
  /** sbatch resources per job kind for `--executor slurm` (addition to the contract) */
  slurm?: SlurmResources
}

/** A profile's declared noise (points and shares of images), for `plan --budget` before any run measured it. */
export interface NoiseDefaults {
  seedSd: number
  seedDof?: number
  evalDiffSd: number
  discordance: number
  evalDiscordance: number
  seedShare: number
}

/**
 * A training scale at paper scale: a fixed smallest side S, or a jitter range
 * [Smin, Smax] drawn per image.
 */
export type TrainScale = number | [number, number]

/** Evaluation technique of a row; 'multi-crop+dense' averages the two [4.3]. */
export type Technique = 'dense' | 'multi-crop' | 'multi-crop+dense'
export const TECHNIQUES: readonly Technique[] = ['dense', 'multi-crop', 'multi-crop+dense']

/** One net of a row: a config trained at a scale, evaluated at the Q set (paper scale). */
export interface NetRef {
  config: ConfigName
  scale: TrainScale
  /** paper-scale test scales; posteriors are averaged over them */
  q: number[]
}

export interface PaperNumbers {
  top1: number
  top5: number
  top5Test?: number
}

/** One paper row: its nets (several = fusion), technique and published errors. */
export interface TableRow {
  table: TableName
  /** unique within its table; claims refer to rows as `<table>/<id>` */
  id: string
  /** e.g. "D S=[256;512] Q=256,384,512 dense" (derived unless given) */
  label: string
  nets: NetRef[]
  technique: Technique
  paper: PaperNumbers
  /** where the row sits in its YAML file (for file:line messages downstream) */
  source: {file: string; line: number}
}

export interface TableSpec {
  table: TableName
  title: string
  description: string
  rows: TableRow[]
  file: string
}

/**
 * A qualitative claim of the paper, checked against reproduced rows.
 *
 * Every comparison names two rows as `<table>/<id>`; `expect: 'lower'` means the
 * paper says `subject` has a lower error than `reference`; `expect: 'not-lower'` means
 * the paper says `subject` does not improve on `reference` (LRN on A): by less than
 * the claim's equivalence `margin`. The report judges the claim on its `primary`
 * metric (the other is shown, not counted) by the rule in src/report/claim-stats.ts.
 */
export interface ClaimComparison {
  subject: string
  reference: string
  expect: 'lower' | 'not-lower'
}

/** Equivalence margin of a "does not improve" claim: points of error, or a fraction of the reference's error. */
export type ClaimMargin = {points: number} | {relative: number}

export interface Claim {
  id: string
  /** the paper's statement, one sentence */
  text: string
  /** paper section, e.g. "4.1" */
  section: string
  primary: 'top1' | 'top5'
  margin?: ClaimMargin
  /** why the margin is what it is (shown in the report) */
  marginReason?: string
  comparisons: ClaimComparison[]
  source: {file: string; line: number}
}

/** Row results (runner -> report), as in ARCHITECTURE.md. */
export interface RowResult {
  table: TableName
  /** row id from the YAML */
  id: string
  /** e.g. "D S=[256;512] Q=256,384,512 dense" */
  label: string
  paper: {top1: number; top5: number; top5Test?: number}
  reproduced?: {top1Err: number; top5Err: number; top1Ci: [number, number]; top5Ci: [number, number]; n: number; skipped: number}
  status: 'ok' | 'pending' | 'failed'
  error?: string
  jobs: {key: string; kind: 'train' | 'eval' | 'combine'; wallMs?: number; metricsPath?: string}[]
  /**
   * The row's combined posterior file (the combine job's output, which `reproduced`
   * was computed from), when it exists: claims compare rows image by image with it.
   */
  posteriors?: string
  /**
   * Train-job keys of the nets whose posteriors the row averages, one per member (a
   * fusion row has several): what the claims' training-run noise model compares.
   */
  nets: string[]
  /**
   * Profiles with k >= 2 seeds per net: each seed's own result (seed i of the row scores,
   * or fuses, the nets of seed i), in seed order. `reproduced` is then their mean, `nets`
   * the first seed's and `posteriors` absent (no single file holds a seed mean).
   */
  perSeed?: SeedRowResult[]
}

/** One seed's result of a row: the same numbers a k = 1 row has. */
export interface SeedRowResult {
  /** 1-based seed index i (the training seed is the profile's seed + i - 1) */
  index: number
  top1Err: number
  top5Err: number
  top1Ci: [number, number]
  top5Ci: [number, number]
  n: number
  skipped: number
  posteriors?: string
  /** train-job keys of seed i's member nets */
  nets: string[]
}
