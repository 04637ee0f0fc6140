// What the runner asks of the machine learning code. Injected, so tests run the
// whole graph logic with a fake; the real one (real-executor.ts) trains and evaluates.
import type {Precision} from '../backend/precision.js'
import type {TrainJob, TrainResult, EpochMetrics} from '../train/types.js'
import type {CombineOutput, EvalOutput, SingleTechnique} from './jobs.js'

export interface JobContext {
  /** fraction 0..1 of this job done, with a short note (epoch, images) */
  onProgress?(fraction: number, note: string): void
  onEpoch?(m: EpochMetrics): void
  /** a line the user should see (a corrupt file set aside, a skipped image) */
  onNote?(text: string): void
  signal?: AbortSignal
}

export interface EvalRequest {
  checkpoint: string
  dataRoot: string
  technique: SingleTechnique
  /** Q at the profile's size */
  scale: number
  /** the job folder: posteriors go in here */
  outDir: string
  batchSize: number
  maxImages?: number
  precision: Precision
}

export interface CombineRequest {
  /** posterior files per member net: averaged within a net, then over nets */
  groups: string[][]
  outDir: string
}

export interface Executor {
  train(job: TrainJob, ctx: JobContext): Promise<TrainResult>
  evaluate(req: EvalRequest, ctx: JobContext): Promise<EvalOutput>
  combine(req: CombineRequest, ctx: JobContext): Promise<CombineOutput>
  /**
   * Why a finished job's checkpoint cannot be used (corrupt, truncated), after moving
   * it aside so the job trains afresh; undefined when it is intact.
   */
  checkCheckpoint?(file: string): Promise<string | undefined>
}
