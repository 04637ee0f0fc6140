// The whole benchmark: matrix rate, per config (ours compute, PyTorch, ours through
// the input pipeline, interleaved so load changes hit both engines alike), evaluation
// speeds, and a real training run for peak memory.
import os from 'node:os'
import path from 'node:path'
import {initBackend} from '../backend/backend.js'
import {indexImageFolder, type ImageFolderIndex} from '../data/image-folder.js'
import {datasetStats, type DatasetStats} from '../data/stats.js'
import {graphSessionsAvailable} from '../backend/graph-session.js'
import {loadProfile, scaleToProfile} from '../experiments/profile.js'
import type {Profile} from '../experiments/types.js'
import {CONFIG_NAMES, createNet, forwardFlops, type ConfigName} from '../models/index.js'
import {measureCompute} from './compute-speed.js'
import {measureDecode} from './decode-speed.js'
import {measureEval, type EvalSpeed} from './eval-speed.js'
import {machineGemm, machineGemmBf16, type GemmRate} from './gemm.js'
import {resolveHostPrecision} from '../backend/host-precision.js'
import {computeDtype, type Precision, type PrecisionSetting} from '../backend/precision.js'
import {loadHistory} from './history.js'
import {loadAverage} from './load.js'
import {perOpOverheadUs} from './op-profile.js'
import {median} from './stats.js'
import {measurePipeline} from './pipeline-speed.js'
import type {StepSetup} from './step-runner.js'
import {TorchReference} from './torch-reference.js'
import {measureTrainRun, type TrainRunResult} from './train-run.js'
import {measureEnvArms, type EnvArm, type EnvArmsResult} from './env-arms.js'
import {stageJob} from '../train/job-from-profile.js'
import {portableDatasetPath} from '../runner/dataset.js'
import type {BenchResult, ConfigBench, PipelineBench} from './types.js'

export interface BenchOptions {
  profile: string
  /** resolved dataset root, or why there is none */
  data: string | {skipped: string}
  quick: boolean
  configs?: ConfigName[]
  batch?: number
  steps?: number
  installTorch: boolean
  /** skip PyTorch even when installed */
  noTorch?: boolean
  backend?: string
  evalConfig?: ConfigName
  trainRunConfig?: ConfigName
  /** decode workers for the pipeline measurement (default: TrainBatchStream's) */
  workers?: number
  log: (line: string) => void
  loadWaitedMs?: number
  /** also measure the eager step for comparison (native backend only: elsewhere it is the measured engine) */
  eager?: boolean
  /** --precision: the pipeline's, evaluation's and training run's (default auto, resolved as `train` does); fp32 also skips the bf16 columns */
  precision?: PrecisionSetting
  /** --env-arm: the training step again under these settings, each arm in a fresh process */
  envArms?: EnvArm[]
  /** rounds of the compute-only step measurements per config (default DEFAULT_ROUNDS; --quick 1) */
  rounds?: number
}

/**
 * Rounds of the compute-only step per config. One round's bf16/fp32 ratio for net A moved
 * from x1.40 to x2.20 between two runs an hour apart on the 2-core AMX machine (2026-12-08,
 * results/bench-narrow-fp32): the median of three paired rounds is steadier than one pair.
 */
export const DEFAULT_ROUNDS = 3

/** One round of the compute-only step measurements of a config. */
interface StepRound {
  fp32: Awaited<ReturnType<typeof measureCompute>>
  bf16?: Awaited<ReturnType<typeof measureCompute>>
  torch?: Awaited<ReturnType<TorchReference['trainStep']>>
  torchBf16?: Awaited<ReturnType<TorchReference['trainStep']>>
}

/** The round at the (lower) median of `value`, so its step times and op profile go with the median speed. */
function medianRound<R>(rounds: R[], value: (r: R) => number): R {
  const sorted = [...rounds].sort((a, b) => value(a) - value(b))
  return sorted[Math.floor((sorted.length - 1) / 2)]
}

/** Environment variables that change TensorFlow's speed, recorded with each run. */
export const ENV_KEYS = ['TF_NUM_INTRAOP_THREADS', 'TF_NUM_INTEROP_THREADS', 'TF_ENABLE_ONEDNN_OPTS', 'OMP_NUM_THREADS', 'UV_THREADPOOL_SIZE', 'VIPS_CONCURRENCY']

/** The speed-relevant environment variables that are set. */
export function speedEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const k of ENV_KEYS) if (process.env[k] !== undefined) env[k] = process.env[k]!
  return env
}

/** The base stage's training job of one config at a profile's size (the runner's mapping). */
function baseStage(profile: Profile, config: ConfigName, numClasses: number, precision: Precision, epochs?: number) {
  return stageJob(profile, {config, scale: 256, numClasses, fineTune: false, epochs, precision})
}

/** The trainer's step settings for one config at a profile's size, computing in `precision`. */
export function stepSetup(profile: Profile, config: ConfigName, numClasses: number, batch: number, precision: Precision = 'fp32'): StepSetup {
  const job = baseStage(profile, config, numClasses, precision)
  return {
    spec: job.net,
    // Glorot in both engines: finite values all along (a diverged net is not a
    // training run); speed does not depend on the values otherwise.
    init: {kind: 'glorot'},
    batch,
    lr: job.lr.initial,
    momentum: job.momentum,
    weightDecay: job.weightDecay,
    dropout: job.dropout,
    seed: job.seed,
    dtype: computeDtype(precision),
  }
}

export async function runBench(opts: BenchOptions): Promise<BenchResult> {
  const t0 = performance.now()
  const loadStart = loadAverage()?.[0] ?? null
  const info = await initBackend(opts.backend)
  const withEager = (opts.eager ?? true) && graphSessionsAvailable()
  const profile = loadProfile(opts.profile)
  const quick = opts.quick
  const configs = opts.configs ?? (quick ? (['A', 'E'] as ConfigName[]) : CONFIG_NAMES)
  const batch = opts.batch ?? profile.batchSize
  const protocol = {
    warmup: quick ? 2 : 3,
    steps: opts.steps ?? (quick ? 6 : 10),
    rounds: opts.rounds ?? (quick ? 1 : DEFAULT_ROUNDS),
    torchWarmup: quick ? 2 : 3,
    torchSteps: opts.steps ?? (quick ? 6 : 10),
    pipelineWarmup: quick ? 3 : 4,
    pipelineSteps: opts.steps !== undefined ? opts.steps + 6 : quick ? 8 : 16,
  }
  const trainScale = scaleToProfile(256, profile)
  const log = opts.log
  // Ours in fp32 and bf16 side by side (bf16 only where graph sessions run, and not with
  // --precision fp32); the pipeline, evaluation and training run use the precision training
  // would (auto resolved here, as `train` does).
  const setting = opts.precision ?? 'auto'
  const measured: Precision[] = setting === 'fp32' || !graphSessionsAvailable() ? ['fp32'] : ['fp32', 'bf16']
  const trainPrecision = resolveHostPrecision(setting)
  log(`precision: ours in ${measured.join(' and ')}; pipeline, evaluation and training run in ${trainPrecision.precision} (${trainPrecision.reason})`)

  // Data first: the class count of the real dataset sizes fc8 in every measurement.
  let index: ImageFolderIndex | undefined
  let stats: DatasetStats | undefined
  let data: BenchResult['data']
  if (typeof opts.data === 'string') {
    index = await indexImageFolder(opts.data)
    log(`data: ${index.root} (${index.train.length} train, ${index.val.length} val images); colour statistics...`)
    stats = await datasetStats(index)
    // Portable like the reports' provenance: never one machine's absolute path.
    data = {root: portableDatasetPath(index.root), trainImages: index.train.length, valImages: index.val.length}
  } else {
    data = opts.data
    log(`input pipeline: ${opts.data.skipped}`)
  }
  let decode: BenchResult['decode'] = null
  if (index !== undefined && stats !== undefined) {
    decode = await measureDecode(index, stats, {crop: profile.crop, scale: trainScale, images: quick ? 32 : 96, colorShiftStd: profile.colorShiftStd, seed: profile.seed})
    log(`decode: ${decode.msPerImage.toFixed(2)} ms/image wall, ${decode.cpuMsPerImage.toFixed(2)} ms CPU (one at a time)`)
  }
  const numClasses = index?.classes.length ?? profile.numClasses
  const setupOf = (config: ConfigName, precision: Precision = 'fp32'): StepSetup => stepSetup(profile, config, numClasses, batch, precision)

  log('machine float32 GEMM rate...')
  const gemm1 = await machineGemm()
  log(`  ${gemm1.gflops.toFixed(0)} GFLOP/s (${gemm1.source})`)
  const opUs = perOpOverheadUs()

  let torch: TorchReference | undefined
  let torchInfo: BenchResult['torch']
  if (opts.noTorch === true) {
    torchInfo = {skipped: 'PyTorch: skipped (--no-torch)'}
  } else {
    const started = await TorchReference.start({install: opts.installTorch, log})
    if ('skipped' in started) {
      torchInfo = started
      log(started.skipped)
    } else {
      torch = started
      torchInfo = {version: started.version, threads: started.threads}
    }
  }

  let bf16Gemm: GemmRate | null = null
  if (measured.includes('bf16')) {
    log('machine bfloat16 GEMM rate...')
    bf16Gemm = await machineGemmBf16(torch !== undefined ? (n, reps) => torch!.gemm('bfloat16', n, reps) : undefined)
    log(bf16Gemm === null ? '  not measured (no PyTorch, no native backend)' : `  ${bf16Gemm.gflops.toFixed(0)} GFLOP/s (${bf16Gemm.source})`)
  }

  const results: Partial<Record<ConfigName, ConfigBench>> = {}
  try {
    for (const config of configs) {
      // The fp32 columns keep their historical names (oursImgPerS ...); bf16 has its own.
      const setup = setupOf(config, 'fp32')
      const fwd = forwardFlops(setup.spec)
      // Rounds: every arm (ours fp32, ours bf16, PyTorch fp32, PyTorch bf16) back to back,
      // the order reversed every other round, so that a load change between arms hits
      // both sides of a ratio alike; each ratio is the median of its per-round ratios.
      const rounds: StepRound[] = []
      const arms = measured.includes('bf16') ? (['fp32', 'bf16'] as const) : (['fp32'] as const)
      for (let r = 0; r < protocol.rounds; r++) {
        const tag = protocol.rounds > 1 ? ` (round ${r + 1}/${protocol.rounds})` : ''
        const round: Partial<StepRound> = {}
        const inOrder = r % 2 === 0 ? arms : [...arms].reverse()
        for (const precision of inOrder) {
          log(`${config}: ours ${precision} (random input)${tag}...`)
          round[precision] = await measureCompute(setupOf(config, precision), {warmup: protocol.warmup, steps: protocol.steps, profile: true})
        }
        if (torch !== undefined) {
          for (const precision of inOrder) {
            log(`${config}: PyTorch ${precision === 'bf16' ? 'bf16 autocast' : 'fp32'}${tag}...`)
            const t = await torch.trainStep({...setup, ...(precision === 'bf16' ? {autocast: 'bf16' as const} : {}), warmup: protocol.torchWarmup, steps: protocol.torchSteps})
            if (precision === 'bf16') round.torchBf16 = t
            else round.torch = t
          }
        }
        rounds.push(round as StepRound)
      }
      const ours = medianRound(rounds, (r) => r.fp32.imgPerS).fp32
      const oursGflops = (3 * fwd * ours.imgPerS) / 1e9
      const row: ConfigBench = {
        config,
        forwardGflopPerImage: fwd / 1e9,
        oursImgPerS: ours.imgPerS,
        oursStepMs: ours.stepMs,
        oursWallImgPerS: ours.wallImgPerS,
        oursGflops,
        matrixFraction: 0, // set once the second GEMM run is in
        torchImgPerS: null,
        ratioVsTorch: null,
        ops:
          ours.profile === undefined
            ? undefined
            : {ops: ours.profile.ops, uploads: ours.profile.uploads, opMs: ours.profile.opMs, totalMs: ours.profile.totalMs, top: ours.profile.byOp.slice(0, 12)},
        rounds: {
          fp32: rounds.map((r) => r.fp32.imgPerS),
          ...(rounds[0].bf16 !== undefined ? {bf16: rounds.map((r) => r.bf16!.imgPerS)} : {}),
          ...(rounds[0].torch !== undefined ? {torch: rounds.map((r) => r.torch!.imgPerS)} : {}),
          ...(rounds[0].torchBf16 !== undefined ? {torchBf16: rounds.map((r) => r.torchBf16!.imgPerS)} : {}),
        },
      }
      if (rounds[0].bf16 !== undefined) {
        const b = medianRound(rounds, (r) => r.bf16!.imgPerS).bf16!
        const gflops = (3 * fwd * b.imgPerS) / 1e9
        row.bf16 = {
          imgPerS: b.imgPerS,
          stepMs: b.stepMs,
          gflops,
          ops: b.profile === undefined ? undefined : {ops: b.profile.ops, uploads: b.profile.uploads, opMs: b.profile.opMs, totalMs: b.profile.totalMs, top: b.profile.byOp.slice(0, 12)},
        }
        row.bf16OverFp32 = median(rounds.map((r) => r.bf16!.imgPerS / r.fp32.imgPerS))
        row.bf16MatrixFraction = bf16Gemm === null ? null : gflops / bf16Gemm.gflops
      }
      if (withEager) {
        // The same step on the eager engine (the wasm/cpu backends' engine), side by side.
        log(`${config}: ours, eager step...`)
        const prop = await measureCompute({...setup, dtype: 'float32', engine: 'eager'}, {warmup: protocol.warmup, steps: protocol.steps, profile: true})
        row.eager = {
          imgPerS: prop.imgPerS,
          stepMs: prop.stepMs,
          gflops: (3 * fwd * prop.imgPerS) / 1e9,
          ops: prop.profile === undefined ? undefined : {ops: prop.profile.ops, uploads: prop.profile.uploads, opMs: prop.profile.opMs, totalMs: prop.profile.totalMs, top: prop.profile.byOp.slice(0, 12)},
        }
      }
      if (rounds[0].torch !== undefined) {
        const t = medianRound(rounds, (r) => r.torch!.imgPerS).torch!
        row.torchImgPerS = t.imgPerS
        row.torchStepMs = t.stepMs
        row.torchMemoryFormat = t.memoryFormat
        row.torchTrialMs = t.trialMs
        row.ratioVsTorch = median(rounds.map((r) => r.fp32.imgPerS / r.torch!.imgPerS))
        if (row.eager !== undefined) row.eager.ratioVsTorch = row.eager.imgPerS / t.imgPerS
      }
      if (rounds[0].torchBf16 !== undefined) {
        const t = medianRound(rounds, (r) => r.torchBf16!.imgPerS).torchBf16!
        row.torchBf16 = {imgPerS: t.imgPerS, stepMs: t.stepMs, memoryFormat: t.memoryFormat, trialMs: t.trialMs}
        row.ratioVsTorchBf16 = row.bf16 === undefined ? null : median(rounds.map((r) => r.bf16!.imgPerS / r.torchBf16!.imgPerS))
      }
      if (index !== undefined && stats !== undefined) {
        log(`${config}: ours ${trainPrecision.precision} through the input pipeline...`)
        const p = await measurePipeline(setupOf(config, trainPrecision.precision), index, stats, {
          warmup: protocol.pipelineWarmup,
          steps: protocol.pipelineSteps,
          scale: trainScale,
          colorShiftStd: profile.colorShiftStd,
          workers: opts.workers,
        })
        const asBench = (t: typeof p): PipelineBench => ({
          imgPerS: t.imgPerS,
          dataWaitFraction: t.dataWaitFraction,
          stepMs: t.stepMs,
          waitMs: t.waitMs,
          warmup: t.warmup,
          steps: t.steps,
          workers: t.workers,
          precision: trainPrecision.precision,
        })
        row.pipeline = asBench(p)
        const piped = {
          warmup: protocol.pipelineWarmup,
          steps: protocol.pipelineSteps,
          scale: trainScale,
          colorShiftStd: profile.colorShiftStd,
          workers: opts.workers,
          warmCache: true,
        }
        log(`${config}: ours ${trainPrecision.precision} through the pipeline, from the decoded cache (fixed S, then S jitter)...`)
        row.pipelineWarm = asBench(await measurePipeline(setupOf(config, trainPrecision.precision), index, stats, piped))
        const jitterMax = scaleToProfile(512, profile)
        row.pipelineJitterWarm = {
          ...asBench(await measurePipeline(setupOf(config, trainPrecision.precision), index, stats, {...piped, scaleMax: jitterMax})),
          scaleMax: jitterMax,
        }
      }
      log(
        `${config}: ours ${ours.imgPerS.toFixed(1)} img/s` +
          (row.torchImgPerS !== null ? `, PyTorch ${row.torchImgPerS.toFixed(1)} (x${row.ratioVsTorch!.toFixed(2)})` : '') +
          (row.bf16 !== undefined ? `; bf16 ${row.bf16.imgPerS.toFixed(1)} img/s (x${row.bf16OverFp32!.toFixed(2)} over fp32)` : '') +
          (row.torchBf16 !== undefined ? `, PyTorch bf16 ${row.torchBf16.imgPerS.toFixed(1)} (x${f2(row.ratioVsTorchBf16)})` : '') +
          (row.pipeline !== undefined ? `, pipeline ${row.pipeline.imgPerS.toFixed(1)} img/s, wait ${(100 * row.pipeline.dataWaitFraction).toFixed(1)}%` : '') +
          (row.pipelineWarm !== undefined ? `; cached ${row.pipelineWarm.imgPerS.toFixed(1)} (wait ${(100 * row.pipelineWarm.dataWaitFraction).toFixed(1)}%)` : '') +
          (row.pipelineJitterWarm !== undefined ? `, cached jitter ${row.pipelineJitterWarm.imgPerS.toFixed(1)} (wait ${(100 * row.pipelineJitterWarm.dataWaitFraction).toFixed(1)}%)` : ''),
      )
      results[config] = row
    }
  } finally {
    await torch?.close()
  }

  let envArms: EnvArmsResult | null = null
  if (opts.envArms !== undefined && opts.envArms.length > 0) {
    envArms = await measureEnvArms({arms: opts.envArms, configs, precisions: measured, setupOf, warmup: protocol.warmup, steps: protocol.steps, log})
  }

  let evalResult: BenchResult['eval'] = null
  if (index !== undefined && stats !== undefined) {
    const config = opts.evalConfig ?? 'D'
    const net = createNet(baseStage(profile, config, numClasses, trainPrecision.precision).net, {kind: 'glorot'}, profile.seed)
    try {
      const one = [scaleToProfile(256, profile)]
      const three = [224, 256, 288].map((q) => scaleToProfile(q, profile))
      const common = {warmupImages: 4, batchSize: profile.evalBatchSize}
      const runs: EvalSpeed[] = []
      const measure = async (technique: 'dense' | 'multi-crop', scales: number[], images: number, precision: Precision = trainPrecision.precision) => {
        log(`eval: ${technique} Q=${scales.join(',')} (${config}, ${images} images, ${precision})...`)
        const r = await measureEval(net, index!, stats!, {technique, scales, images, precision, ...common})
        log(`  ${r.imgPerS.toFixed(1)} img/s`)
        runs.push(r)
        return r
      }
      const dense1 = await measure('dense', one, quick ? 64 : 256)
      const mc1 = await measure('multi-crop', one, quick ? 8 : 32)
      const dense3 = quick ? null : await measure('dense', three, 256)
      const mc3 = quick ? null : await measure('multi-crop', three, 32)
      // the single-scale passes in the other precision too, side by side
      for (const other of measured.filter((p) => p !== trainPrecision.precision)) {
        await measure('dense', one, quick ? 64 : 256, other)
        await measure('multi-crop', one, quick ? 8 : 32, other)
      }
      evalResult = {
        config,
        denseImgPerS: dense1.imgPerS,
        multiCropImgPerS: mc1.imgPerS,
        dense3ScaleImgPerS: dense3?.imgPerS ?? null,
        multiCrop3ScaleImgPerS: mc3?.imgPerS ?? null,
        runs,
      }
    } finally {
      net.dispose()
    }
  }

  let trainRun: TrainRunResult | null = null
  if (index !== undefined) {
    const config = opts.trainRunConfig ?? 'E'
    const images = batch * (quick ? 10 : 20)
    log(`training run: trainNet ${config}, ${images} images, 1 epoch, in a child process...`)
    trainRun = await measureTrainRun({
      ...baseStage(profile, config, numClasses, trainPrecision.precision, 1),
      // Glorot keeps a deep net finite without init from A; speed and memory do not depend on it.
      init: {from: 'random', spec: {kind: 'glorot'}},
      dataRoot: index.root,
      batchSize: batch,
      maxTrainImages: images,
      minivalImages: 2 * batch,
    })
    log(`  peak RSS ${trainRun.peakRssMb.toFixed(0)} MB, ${trainRun.imgPerS.toFixed(1)} img/s, wait ${(100 * trainRun.dataWaitFraction).toFixed(1)}%`)
  }

  log('machine float32 GEMM rate again...')
  const gemm2 = await machineGemm()
  // The larger of the two runs: the conservative yardstick (a smaller fraction).
  const gemm = gemm2.gflops > gemm1.gflops ? gemm2 : gemm1
  for (const row of Object.values(results)) {
    row.matrixFraction = row.oursGflops / gemm.gflops
    if (row.eager !== undefined) row.eager.matrixFraction = row.eager.gflops / gemm.gflops
    if (row.torchImgPerS !== null) row.torchMatrixFraction = (3 * row.forwardGflopPerImage * row.torchImgPerS) / gemm.gflops
  }
  const waits = Object.values(results).flatMap((r) => (r.pipeline !== undefined ? [r.pipeline.dataWaitFraction] : []))
  const env = speedEnv()
  return {
    version: 1,
    date: new Date().toISOString(),
    quick,
    machine: {cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU', cores: os.availableParallelism(), memGb: os.totalmem() / 2 ** 30, node: process.version},
    load: {start: loadStart, end: loadAverage()?.[0] ?? null, ...(opts.loadWaitedMs !== undefined ? {waitedFor: opts.loadWaitedMs} : {})},
    env,
    backend: {name: info.backend, tfVersion: info.tfVersion, source: path.isAbsolute(info.source) ? portableDatasetPath(info.source) : info.source},
    precision: {measured, training: trainPrecision.precision, reason: trainPrecision.reason},
    bf16GemmGflops: bf16Gemm?.gflops ?? null,
    bf16GemmSource: bf16Gemm?.source ?? null,
    profile: {
      name: profile.name,
      crop: profile.crop,
      widthFactor: profile.widthFactor,
      fcWidth: profile.fcWidth,
      batch,
      numClasses,
      trainScale,
      evalBatchSize: profile.evalBatchSize,
    },
    protocol,
    machineGemmGflops: gemm.gflops,
    gemmSource: gemm.source,
    gemmRuns: [gemm1.gflops, gemm2.gflops],
    perOpOverheadUs: opUs,
    torch: torchInfo,
    configs: results,
    envArms,
    dataWaitFraction: waits.length > 0 ? Math.max(...waits) : null,
    data,
    decode,
    eval: evalResult,
    trainRun,
    peakRssMb: trainRun?.peakRssMb ?? null,
    wallMs: performance.now() - t0,
    history: loadHistory(),
  }
}


const f2 = (x: number | null | undefined) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(2) : '–')
