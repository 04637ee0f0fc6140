// Shapes of the job graph: training, evaluation and combination jobs, keyed by a
// hash of their resolved inputs, and what each finished job records.
import type {Precision} from '../backend/precision.js'
import type {TableRow, TrainScale} from '../experiments/types.js'
import type {TrainStage} from '../experiments/tables.js'
import type {ConfigName, InitSpec} from '../models/types.js'
import type {ErrorNumbers} from '../eval/types.js'
import type {TrainJob, TrainResult} from '../train/types.js'

export type JobKind = 'train' | 'eval' | 'combine'
export type SingleTechnique = 'dense' | 'multi-crop'

/** The dataset a graph is built for; its id is part of every key. */
export interface DatasetInfo {
  root: string
  id: string
  numClasses: number
  trainImages: number
  valImages: number
}

interface JobBase {
  key: string
  kind: JobKind
  /** human-readable, e.g. "train D S=[73;146]" */
  name: string
  /** keys of jobs whose outputs this one reads */
  deps: string[]
  /** runs/<profile>/jobs/<slug>-<key>: outputs and the job's result.json */
  dir: string
}

/** Init of a train job before its parents ran: parents are keys, not checkpoint paths yet. */
export type InitPlan = {from: 'random'; spec: InitSpec} | {from: 'A'; parent: string; spec: InitSpec} | {from: 'checkpoint'; parent: string}

/** A training job as planned: the trainer's TrainJob with the init still naming parent keys. */
export interface TrainNode extends JobBase, Omit<TrainJob, 'init' | 'outDir'> {
  kind: 'train'
  config: ConfigName
  stage: TrainStage
  /** paper-scale training scale */
  scale: TrainScale
  init: InitPlan
}

export interface EvalNode extends JobBase {
  kind: 'eval'
  train: string
  technique: SingleTechnique
  /** Q at the profile's size, and as the paper wrote it */
  q: number
  qPaper: number
  dataRoot: string
  batchSize: number
  maxImages?: number
  /** what the forward computes in (absent in nodes planned before it existed: fp32) */
  precision?: Precision
}

export interface CombineNode extends JobBase {
  kind: 'combine'
  /** eval keys per member net: averaged within a net, then over nets (fusion) */
  groups: string[][]
}

export type JobNode = TrainNode | EvalNode | CombineNode

/** One paper row and the jobs that produce it. */
export interface RowPlan {
  row: TableRow
  /** the combination of seed 1 (the row's only one at k = 1) */
  combine: string
  /** k >= 2 seeds per net: the combination of each seed index, perSeed[0] = combine */
  perSeed?: string[]
  /** every job the row needs, ancestors first */
  jobs: string[]
}

/** Net A trained with one more seed and scored twice, for the training-run noise. */
export interface SeedRunPlan {
  seed: number
  train: string
  /** combine keys: dense at Q = S (as Table 3), dense at Q = S-32, S, S+32 (as Table 4) */
  single: string
  multi: string
}

export interface JobGraph {
  profile: string
  dataset: DatasetInfo
  nodes: Map<string, JobNode>
  /** dependency order (parents before children) */
  order: string[]
  rows: RowPlan[]
  /** empty unless the profile asks for seedNoise */
  seedRuns: SeedRunPlan[]
}

/** Errors, in percent, with 95% intervals: what eval and combine report. */
export type {ErrorNumbers} from '../eval/types.js'

export interface EvalOutput extends ErrorNumbers {
  posteriors: string
  imgPerS?: number
}

export interface CombineOutput extends ErrorNumbers {
  /** the combined posterior file these numbers were computed from (absent in records written before it was recorded) */
  posteriors?: string
}

export type JobOutput = TrainResult | EvalOutput | CombineOutput

/** result.json of a finished job. */
export interface JobRecord {
  key: string
  kind: JobKind
  name: string
  finishedAt: string
  wallMs: number
  output: JobOutput
}
