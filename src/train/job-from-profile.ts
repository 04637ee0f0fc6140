// The train command's job: a config and a paper-scale training scale, mapped to a
// profile's size (S x crop/224) with the paper's stage rules [3.1]: a fresh net
// (random or from A) starts at lr.initial; a net fine-tuned from one of the same
// config (S=384 from S=256, jittered from S=384) starts at lr.finetune.
import {scaleToProfile} from '../experiments/profile.js'
import type {Profile, TrainScale} from '../experiments/types.js'
import type {ConfigName} from '../models/types.js'
import {TrainError} from './train-error.js'
import type {TrainJob} from './types.js'

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

export function trainJobFromProfile(inp: TrainJobInputs): TrainJob {
  const {profile: p, scale, initFrom} = inp
  const px = (s: number) => scaleToProfile(s, p)
  const [scaleMin, scaleMax] = Array.isArray(scale) ? [px(scale[0]), px(scale[1])] : [px(scale), px(scale)]
  // Validate at Q = S, or the jitter midpoint (the Q Table 3 uses for jittered nets).
  const valScale = Array.isArray(scale) ? px((scale[0] + scale[1]) / 2) : px(scale)
  let init: TrainJob['init']
  if (initFrom === undefined) init = {from: 'random', spec: p.init}
  else if (initFrom.config === inp.config) init = {from: 'checkpoint', checkpoint: initFrom.checkpoint}
  else if (initFrom.config === 'A') init = {from: 'A', checkpoint: initFrom.checkpoint, spec: p.init}
  else {
    throw new TrainError(`--init-from holds a ${initFrom.config} net: use net A's checkpoint (copy of its layers) or one of config ${inp.config} (fine-tuning)`)
  }
  const fineTune = init.from === 'checkpoint'
  const stageEpochs = Array.isArray(scale) ? p.epochs.jitter : scale === 256 ? p.epochs.base : p.epochs.s384
  return {
    net: {config: inp.config, widthFactor: p.widthFactor, fcWidth: p.fcWidth, numClasses: inp.numClasses, crop: p.crop},
    init,
    dataRoot: inp.dataRoot,
    scaleMin,
    scaleMax,
    batchSize: p.batchSize,
    maxEpochs: inp.epochs ?? stageEpochs,
    lr: {
      initial: fineTune ? p.lr.finetune : p.lr.initial,
      decayFactor: p.lr.decayFactor,
      maxDecays: p.lr.maxDecays,
      patience: p.lr.patience,
    },
    momentum: p.momentum,
    weightDecay: p.weightDecay,
    dropout: p.dropout,
    colorShiftStd: p.colorShiftStd,
    seed: p.seed,
    valScale,
    outDir: inp.outDir,
    maxTrainImages: p.maxTrainImages,
    maxValImages: p.maxValImages,
  }
}
