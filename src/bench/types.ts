// The shape of results/bench.json (what `vgg-repro bench --json` returns).
import type {Precision} from '../backend/precision.js'
import type {ConfigName} from '../models/index.js'
import type {DecodeSpeed} from './decode-speed.js'
import type {EvalSpeed} from './eval-speed.js'
import type {HistoryEntry} from './history.js'
import type {OpProfile} from './op-profile.js'
import type {TimingSummary} from './stats.js'
import type {TrainRunResult} from './train-run.js'
import type {EnvArmsResult} from './env-arms.js'

export interface ConfigBench {
  config: ConfigName
  /** forward GFLOPs per image (models/forwardFlops), a multiply-add = 2 */
  forwardGflopPerImage: number
  /** training step on random input, median */
  oursImgPerS: number
  oursStepMs: TimingSummary
  /** timed images / wall time of the timed loop (a check on the per-step times) */
  oursWallImgPerS: number
  /** achieved GFLOP/s: 3 x forward FLOPs x images/s */
  oursGflops: number
  /** oursGflops / machineGemmGflops */
  matrixFraction: number
  torchImgPerS: number | null
  torchStepMs?: TimingSummary
  torchMemoryFormat?: string
  torchTrialMs?: Record<string, number>
  torchMatrixFraction?: number
  /** ours / PyTorch images per second (both fp32) */
  ratioVsTorch: number | null
  /** the same step computing in bf16 (src/backend/precision.ts), when measured */
  bf16?: {
    imgPerS: number
    stepMs: TimingSummary
    /** 3 x forward FLOPs x images/s */
    gflops: number
    ops?: Omit<OpProfile, 'byOp'> & {top: OpProfile['byOp']}
  }
  /** bf16 images/s over fp32 images/s (ours) */
  bf16OverFp32?: number
  /** ours bf16 GFLOP/s over the machine's bf16 GEMM rate */
  bf16MatrixFraction?: number | null
  /** PyTorch's step under torch.autocast('cpu', dtype=torch.bfloat16) */
  torchBf16?: {imgPerS: number; stepMs: TimingSummary; memoryFormat: string; trialMs?: Record<string, number>}
  /** ours bf16 / PyTorch bf16 autocast images per second */
  ratioVsTorchBf16?: number | null
  /** the same compute-only step on the eager engine (tfjs ops and autodiff), for comparison */
  eager?: {
    imgPerS: number
    stepMs: TimingSummary
    gflops: number
    matrixFraction?: number
    ratioVsTorch?: number
    ops?: Omit<OpProfile, 'byOp'> & {top: OpProfile['byOp']}
  }
  /**
   * The same step through TrainBatchStream, epochs after the first (served from the
   * decoded-image cache, as every epoch after a net's first): fixed S, and S jitter
   * (the jittered nets' range: each crop resampled in JS from the cache)
   */
  pipelineWarm?: PipelineBench
  pipelineJitterWarm?: PipelineBench & {scaleMax: number}
  /** through TrainBatchStream on --data, first epoch (every JPEG decoded) */
  pipeline?: {
    imgPerS: number
    dataWaitFraction: number
    stepMs: TimingSummary
    waitMs: TimingSummary
    warmup: number
    steps: number
    workers: number
    /** the precision the piped step computed in (absent before precision existed: fp32) */
    precision?: Precision
  }
  /** native ops of one step (top entries only) */
  ops?: Omit<OpProfile, 'byOp'> & {top: OpProfile['byOp']}
  /**
   * images/s of each round of the compute-only step (absent before rounds existed: one
   * round). The img/s fields above are the median round's; the ratios are medians of the
   * per-round ratios.
   */
  rounds?: {fp32: number[]; bf16?: number[]; torch?: number[]; torchBf16?: number[]}
}

export interface BenchResult {
  version: 1
  date: string
  quick: boolean
  machine: {cpu: string; cores: number; memGb: number; node: string}
  /** 1-minute load average before measuring, and after (the latter includes this run) */
  load: {start: number | null; end: number | null; waitedFor?: number}
  /** thread and oneDNN settings in effect (unset = TensorFlow's defaults) */
  env: Record<string, string>
  backend: {name: string; tfVersion: string; source: string}
  profile: {name: string; crop: number; widthFactor: number; fcWidth: number; batch: number; numClasses: number; trainScale: number; evalBatchSize: number}
  protocol: {warmup: number; steps: number; /** absent before rounds existed: 1 */ rounds?: number; torchWarmup: number; torchSteps: number; pipelineWarmup: number; pipelineSteps: number}
  machineGemmGflops: number
  gemmSource: string
  /** which precisions ours was measured in, and the one the pipeline, evaluation and training run used (with auto's reason) */
  precision?: {measured: Precision[]; training: Precision; reason: string}
  /** the machine's bfloat16 GEMM rate (null: not measured) */
  bf16GemmGflops?: number | null
  bf16GemmSource?: string | null
  gemmRuns: number[]
  /** median cost of one tiny native op (scalar add), microseconds */
  perOpOverheadUs: number
  torch: {version: string; threads: number} | {skipped: string}
  configs: Partial<Record<ConfigName, ConfigBench>>
  /** --env-arm: the step under other settings, each arm in a fresh process (absent or null: not asked) */
  envArms?: EnvArmsResult | null
  /** worst (largest) data-wait fraction over the configs, null without --data */
  dataWaitFraction: number | null
  data: {root: string; trainImages: number; valImages: number} | {skipped: string}
  /** training input cost per image, decoded one at a time on the main thread */
  decode: DecodeSpeed | null
  eval: {
    config: ConfigName
    denseImgPerS: number
    multiCropImgPerS: number
    dense3ScaleImgPerS: number | null
    multiCrop3ScaleImgPerS: number | null
    runs: EvalSpeed[]
  } | null
  /** a real trainNet run in a child process */
  trainRun: TrainRunResult | null
  peakRssMb: number | null
  wallMs: number
  history: HistoryEntry[]
}

/** One pipeline measurement (see ConfigBench.pipeline). */
export interface PipelineBench {
  imgPerS: number
  dataWaitFraction: number
  stepMs: TimingSummary
  waitMs: TimingSummary
  warmup: number
  steps: number
  workers: number
  precision?: Precision
}
