import path from 'node:path'
import {Command, Flags} from '@oclif/core'
import {initBackend, slowBackendWarning} from '../backend/backend.js'
import {backendFlag} from '../cli/backend-flag.js'
import {resolvePrecisionChoice} from '../backend/host-precision.js'
import {precisionFlag, precisionLine} from '../cli/precision-flag.js'
import {EXIT_CODES, failIfUserError, failOneLine} from '../cli/errors.js'
import {abortOnSigint} from '../cli/interrupt.js'
import {announceFinished, isNativeFault, runSupervised} from '../cli/supervise.js'
import {ensureDataset} from '../data/ensure-dataset.js'
import {indexImageFolder, requireTwoClasses} from '../data/image-folder.js'
import {scaleLabel} from '../experiments/labels.js'
import {loadProfile} from '../experiments/profile.js'
import {CONFIG_NAMES} from '../models/index.js'
import type {ConfigName} from '../models/types.js'
import {runDirOf} from '../runner/paths.js'
import {checkTempDir, checkWritable} from '../runner/writable.js'
import {readCheckpointHeader} from '../train/checkpoint.js'
import {parseTrainScale, trainJobFromProfile} from '../train/job-from-profile.js'
import {trainNet, type TrainOutcome} from '../train/train-net.js'
import type {EpochMetrics, TrainJob} from '../train/types.js'

export interface TrainCommandResult extends TrainOutcome {
  job: TrainJob
  profile: string
  backend: string
}

const fmt = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '-')

export default class Train extends Command {
  static summary = 'Train one net (paper 3.1) with checkpoints and resume.'
  static description =
    'SGD with momentum 0.9, weight decay on kernels, dropout on fc6/fc7; the lr is divided by 10 by the profile\'s ' +
    "schedule (fixed epochs, or when the held-out minival accuracy stops improving); val/ is never used. Scales are paper numbers, mapped to the profile's size (x crop/224). A checkpoint " +
    'is written after every epoch: running the same command again resumes it (also after Ctrl-C or a kill).'

  static examples = [
    '<%= config.bin %> train --config A --scale 256 --profile subset --data ~/data/imagenette2',
    '<%= config.bin %> train --config D --scale 256 --init-from runs/subset/train/A-s256/checkpoint.ckpt --data DIR',
    '<%= config.bin %> train --config D --scale 256-512 --init-from runs/subset/train/D-s384/checkpoint.ckpt --data DIR',
    '<%= config.bin %> train --config A --scale 256 --seed 2 --data DIR',
  ]

  static enableJsonFlag = true
  static flags = {
    config: Flags.string({description: 'network configuration (Table 1)', options: [...CONFIG_NAMES], required: true}),
    scale: Flags.string({description: 'training scale S at paper size: 256, 384, or a jitter range 256-512', required: true}),
    profile: Flags.string({description: 'profile name or path (sizes, epochs, lr)', default: 'subset'}),
    data: Flags.string({description: 'ImageFolder dataset root (train/ and val/); default: the profile dataset'}),
    out: Flags.string({description: 'output folder for checkpoint and metrics (default: $VGG_REPRO_RUNS/<profile>/train/<config>-s<scale>[-seed<N>][-bf16])'}),
    'init-from': Flags.string({description: "start from this checkpoint: net A's (copies its first 4 conv + 3 FC layers) or one of the same config (fine-tune at lr finetune)"}),
    epochs: Flags.integer({description: "cap on epochs (default: the profile's cap for this stage)", min: 1}),
    seed: Flags.integer({description: "seed of the weight init, data order, augmentation and dropout (default: the profile's); another seed of the same net measures training-run noise", min: 0}),
    backend: backendFlag,
    precision: precisionFlag,
  }

  async run(): Promise<TrainCommandResult> {
    const {flags} = await this.parse(Train)
    await runSupervised()
    const sigint = abortOnSigint(() => this.logToStderr('\ninterrupt: writing a checkpoint at the current step (Ctrl-C again to quit at once)'))
    try {
      const info = await initBackend(flags.backend)
      const warning = slowBackendWarning(info)
      if (warning !== undefined) this.logToStderr(warning)
      const profile = loadProfile(flags.profile)
      const precision = resolvePrecisionChoice(flags.precision, profile.precision)
      const config = flags.config as ConfigName
      const scale = parseTrainScale(flags.scale)
      const dataRoot = await ensureDataset(flags.data ?? profile.dataset, undefined, {log: (l) => this.logToStderr(l)})
      const index = await indexImageFolder(dataRoot)
      requireTwoClasses(index)
      let initFrom: {checkpoint: string; config: ConfigName} | undefined
      if (flags['init-from'] !== undefined) {
        const checkpoint = path.resolve(flags['init-from'])
        initFrom = {checkpoint, config: (await readCheckpointHeader(checkpoint)).net.config}
      }
      const scaleText = Array.isArray(scale) ? `${scale[0]}-${scale[1]}` : String(scale)
      const seedText = flags.seed === undefined || flags.seed === profile.seed ? '' : `-seed${flags.seed}`
      const precisionText = precision.precision === 'fp32' ? '' : `-${precision.precision}`
      const outDir = path.resolve(flags.out ?? path.join(runDirOf(profile.name), 'train', `${config}-s${scaleText}${seedText}${precisionText}`))
      checkWritable(outDir, 'the output folder', flags.out === undefined ? 'set VGG_REPRO_RUNS to a writable folder' : 'pass a writable --out')
      checkTempDir()
      const job = trainJobFromProfile({config, scale, profile, dataRoot, numClasses: index.classes.length, outDir, initFrom, epochs: flags.epochs, seed: flags.seed, precision: precision.precision})

      if (!this.jsonEnabled()) {
        const sText = job.scaleMin === job.scaleMax ? `${job.scaleMin}` : `[${job.scaleMin};${job.scaleMax}]`
        this.log(
          `train ${config} S=${scaleLabel(scale)} (${sText} px at crop ${job.net.crop}) profile ${profile.name}, ` +
            `init ${job.init.from}, lr ${job.lr.initial}, up to ${job.maxEpochs} epochs, ${info.backend} backend -> ${outDir}`,
        )
        this.log(precisionLine(precision))
      }
      const result = await trainNet(job, {
        quiet: this.jsonEnabled(),
        signal: sigint.signal,
        onEpoch: (m) => {
          if (!this.jsonEnabled()) this.log(epochLine(m))
        },
      })
      if (!this.jsonEnabled()) {
        if (result.message !== undefined) this.logToStderr(result.message)
        this.log(
          `${result.stoppedBy}: ${result.epochs} epochs, minival top-1 ${fmt(result.valTop1Err)}% top-5 ${fmt(result.valTop5Err)}% (single centre crop), ` +
            `${(result.wallMs / 1000).toFixed(1)} s; checkpoint ${result.checkpoint}, metrics ${result.metricsPath}`,
        )
        if (result.stoppedBy === 'interrupt') this.log('run the same command again to resume')
      }
      if (result.stoppedBy === 'nan') process.exitCode = EXIT_CODES.failed
      if (result.stoppedBy === 'interrupt') process.exitCode = EXIT_CODES.interrupted
      announceFinished(Number(process.exitCode ?? 0))
      return {...result, job, profile: profile.name, backend: info.backend}
    } catch (error) {
      if (error instanceof Error && isNativeFault(error.message)) return failOneLine(this, `training failed inside TensorFlow (a native fault, see docs/reliability.md): ${error.message}`, EXIT_CODES.nativeFault)
      return failIfUserError(this, error)
    } finally {
      sigint.dispose()
    }
  }
}

function epochLine(m: EpochMetrics): string {
  return (
    `epoch ${String(m.epoch).padStart(3)}  lr ${m.lr.toExponential(0)}  loss ${fmt(m.trainLoss, 4)}  ` +
    `train top-1/5 ${fmt(m.trainTop1Err, 1)}/${fmt(m.trainTop5Err, 1)}%  minival top-1/5 ${fmt(m.valTop1Err, 1)}/${fmt(m.valTop5Err, 1)}%  ` +
    `${fmt(m.imgPerS, 1)} img/s  data wait ${fmt(100 * m.dataWaitFrac, 0)}%` +
    (m.nextLr !== m.lr ? `  -> lr ${m.nextLr.toExponential(0)}` : '')
  )
}
