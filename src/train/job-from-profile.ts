// The one mapping from a profile to a training job (used by the runner's graph, the
// train command and the benchmarks): a config and a paper-scale training scale,
// mapped to the profile's size (S x crop/224), with the paper's stage rules [3.1]:
// a fresh net (random or from A) starts at lr.initial; a net fine-tuned from one of
// the same config (S=384 from S=256, jittered from S=384) starts at lr.finetune.
import type {Precision} from '../backend/precision.js'
import {scaleToProfile} from '../experiments/profile.js'
import type {Profile, TrainScale} from '../experiments/types.js'
import type {ConfigName} from '../models/types.js'
import {TrainError} from './train-error.js'
import type {LrPolicy, TrainJob} from './types.js'

export interface TrainJobInputs {
  config: ConfigName
  /** paper scale: S or [Smin, Smax] */
  scale: TrainScale
  profile: Profile
  dataRoot: string
  numClasses: number
  outDir: string
  /** checkpoint to start from, with the config it holds */
  initFrom?: {checkpoint: string; config: ConfigName}
  /** overrides the profile's epoch cap for the stage */
  epochs?: number
  /** overrides the profile's seed (the seed-noise runs of net A) */
  seed?: number
  /** resolved for this machine */
  precision: Precision
}

/** "256", "384" or "256-512" (also "[256;512]") -> TrainScale. */
export function parseTrainScale(text: string): TrainScale {
  const m = /^\s*\[?\s*(\d+)\s*(?:[-;,]\s*(\d+)\s*)?\]?\s*$/.exec(text)
  if (m === null) throw new TrainError(`--scale "${text}": expected S (e.g. 256) or Smin-Smax (e.g. 256-512)`)
  const a = Number(m[1])
  if (m[2] === undefined) return a
  const b = Number(m[2])
  if (!(b > a)) throw new TrainError(`--scale "${text}": Smax must be larger than Smin`)
  return [a, b]
}

/** The profile's epoch cap for a training scale's stage: base (S=256), S=384, or jitter. */
export function stageEpochs(profile: Profile, scale: TrainScale): number {
  return Array.isArray(scale) ? profile.epochs.jitter : scale === 384 ? profile.epochs.s384 : profile.epochs.base
}

/**
 * The lr policy of one stage. Step schedules decay at the profile's fractions of this
 * stage's epochs and never go below the base stage's final lr (initial x factor^decays),
 * so a fine-tune that starts at lr.finetune = initial/10 takes one decay fewer and every
 * net ends annealed to the same lr.
 */
export function stageLrPolicy(profile: Profile, fineTune: boolean, epochs: number): LrPolicy {
  const {lr} = profile
  const initial = fineTune ? lr.finetune : lr.initial
  const s = lr.schedule
  // only stages that start at lr.initial warm up; absent stays absent (cache keys of profiles without one unchanged)
  const warmup = !fineTune && lr.warmupEpochs !== undefined ? {warmupEpochs: lr.warmupEpochs} : {}
  if (s.kind === 'plateau') return {kind: 'plateau', initial, decayFactor: lr.decayFactor, maxDecays: s.maxDecays, patience: s.patience, minDelta: s.minDelta, ...warmup}
  const decayAfterEpochs = [...new Set(s.decayAt.map((f) => Math.min(epochs, Math.max(1, Math.round(f * epochs)))))].sort((a, b) => a - b)
  return {kind: 'step', initial, decayFactor: lr.decayFactor, decayAfterEpochs, minLr: lr.initial * lr.decayFactor ** s.decayAt.length, ...warmup}
}

/** Per-epoch validation at Q = S, or the jitter midpoint (the Q Table 3 uses for jittered nets). */
export function validationScale(profile: Profile, scale: TrainScale): number {
  const px = (s: number) => scaleToProfile(s, profile)
  return Array.isArray(scale) ? px((scale[0] + scale[1]) / 2) : px(scale)
}

/** Everything of a job but where it starts from and where it writes. */
export type StageJob = Omit<TrainJob, 'init' | 'outDir' | 'dataRoot'>

/** `inp.precision` is resolved for the machine (resolveHostPrecision): the profile's setting may be `auto`. */
export function stageJob(
  profile: Profile,
  inp: {config: ConfigName; scale: TrainScale; numClasses: number; fineTune: boolean; precision: Precision; epochs?: number; seed?: number},
): StageJob {
  const p = profile
  const px = (s: number) => scaleToProfile(s, p)
  const [scaleMin, scaleMax] = Array.isArray(inp.scale) ? [px(inp.scale[0]), px(inp.scale[1])] : [px(inp.scale), px(inp.scale)]
  const maxEpochs = inp.epochs ?? stageEpochs(p, inp.scale)
  return {
    net: {config: inp.config, widthFactor: p.widthFactor, fcWidth: p.fcWidth, numClasses: inp.numClasses, crop: p.crop},
    scaleMin,
    scaleMax,
    batchSize: p.batchSize,
    maxEpochs,
    lr: stageLrPolicy(p, inp.fineTune, maxEpochs),
    momentum: p.momentum,
    weightDecay: p.weightDecay,
    dropout: p.dropout,
    colorShiftStd: p.colorShiftStd,
    seed: inp.seed ?? p.seed,
    valScale: validationScale(p, inp.scale),
    minivalImages: p.minivalImages,
    maxTrainImages: p.maxTrainImages,
    precision: inp.precision,
  }
}

export function trainJobFromProfile(inp: TrainJobInputs): TrainJob {
  const {profile: p, initFrom} = inp
  let init: TrainJob['init']
  if (initFrom === undefined) init = {from: 'random', spec: p.init}
  else if (initFrom.config === inp.config) init = {from: 'checkpoint', checkpoint: initFrom.checkpoint}
  else if (initFrom.config === 'A') init = {from: 'A', checkpoint: initFrom.checkpoint, spec: p.init}
  else {
    throw new TrainError(`--init-from holds a ${initFrom.config} net: use net A's checkpoint (copy of its layers) or one of config ${inp.config} (fine-tuning)`)
  }
  const job = stageJob(p, {config: inp.config, scale: inp.scale, numClasses: inp.numClasses, fineTune: init.from === 'checkpoint', epochs: inp.epochs, seed: inp.seed, precision: inp.precision})
  return {...job, init, dataRoot: inp.dataRoot, outDir: inp.outDir}
}
