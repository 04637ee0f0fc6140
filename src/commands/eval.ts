import {Command, Flags} from '@oclif/core'
import {initBackend} from '../backend/backend.js'
import {resolvePrecisionChoice} from '../backend/host-precision.js'
import type {Precision} from '../backend/precision.js'
import {backendFlag} from '../cli/backend-flag.js'
import {precisionFlag, precisionLine} from '../cli/precision-flag.js'
import {failIfUserError} from '../cli/errors.js'
import {ensureDataset} from '../data/ensure-dataset.js'
import {DENSE_FITS, type DenseFit} from '../eval/dense.js'
import {defaultEvalDir, evaluateTechniqueSet, type TechniqueSetResult} from '../eval/technique-set.js'
import {EvalInputError} from '../eval/errors.js'
import type {ErrorSummary} from '../eval/types.js'
import {checkScales, checkTechnique, parseScaleList} from '../eval/validate.js'
import {loadProfile, scaleToProfile} from '../experiments/profile.js'
import type {Profile} from '../experiments/types.js'
import {runsRoot} from '../runner/paths.js'
import {readCheckpointHeader} from '../train/checkpoint.js'

export interface EvalCommandResult extends TechniqueSetResult {
  checkpoint: string
  dataRoot: string
  /** --scales as given (paper scale when --profile is set) */
  scalesGiven: number[]
  profile?: string
  backend: string
  /** what the forward computed in */
  precision: Precision
}

function fmtErr(e: ErrorSummary, which: 'top1' | 'top5'): string {
  const [lo, hi] = which === 'top1' ? e.top1Ci : e.top5Ci
  const v = which === 'top1' ? e.top1Err : e.top5Err
  return `${v.toFixed(2)}% [${lo.toFixed(1)}, ${hi.toFixed(1)}]`
}

export default class Eval extends Command {
  static description = `Evaluate a checkpoint on the val split (paper 3.2): dense, multi-crop (5x5 grid x 2 flips), or both,
at one or more test scales Q. Writes one soft-max posteriors file per (technique, Q) and, for several, their average.
Errors are top-1 / top-5 in percent with 95% Wilson intervals.`

  static examples = [
    '<%= config.bin %> eval --checkpoint runs/subset/D.ckpt --technique multi-crop+dense --scales 256,384,512 --profile subset --data ~/data/imagenette2',
    '<%= config.bin %> eval --checkpoint A.ckpt --technique dense --scales 73 --data DIR --max-images 200 --json',
  ]

  static enableJsonFlag = true
  static flags = {
    checkpoint: Flags.string({description: 'checkpoint file written by train', required: true}),
    technique: Flags.string({description: 'dense | multi-crop | multi-crop+dense', default: 'dense'}),
    scales: Flags.string({description: 'test scales Q, comma-separated (paper scale when --profile is given)', required: true}),
    data: Flags.string({description: 'ImageFolder dataset root (train/ and val/); default: the profile dataset'}),
    profile: Flags.string({description: 'profile name or path: --scales are paper numbers, multiplied by crop/224'}),
    'max-images': Flags.integer({description: 'evaluate only the first N val images (default: the profile maxValImages, else all)', min: 1}),
    'batch-size': Flags.integer({description: 'crop-sized samples per forward call (default: profile evalBatchSize, else 64)', min: 1}),
    out: Flags.string({description: 'folder for the posteriors files (default: $VGG_REPRO_RUNS/eval/<checkpoint>-<hash>)'}),
    fp16: Flags.boolean({description: 'store posteriors as float16 (half the size)'}),
    'dense-fit': Flags.string({description: 'how dense evaluation fits the image to 32-pixel cells (protocol ablation; default: anchors, as the tables)', options: [...DENSE_FITS]}),
    minival: Flags.boolean({description: "score the training images the checkpoint's run held out as its minival instead of val/ (protocol ablations)"}),
    backend: backendFlag,
    precision: precisionFlag,
  }

  async run(): Promise<EvalCommandResult> {
    const {flags} = await this.parse(Eval)
    try {
      const info = await initBackend(flags.backend)
      const technique = checkTechnique(flags.technique)
      const given = parseScaleList(flags.scales)
      const header = await readCheckpointHeader(flags.checkpoint)
      let profile: Profile | undefined
      if (flags.profile !== undefined) {
        profile = loadProfile(flags.profile)
        if (profile.crop !== header.net.crop) {
          throw new EvalInputError(`profile ${profile.name} has crop ${profile.crop} but ${flags.checkpoint} was trained with crop ${header.net.crop}`)
        }
      }
      const p = profile
      const scales = checkScales(p !== undefined ? given.map((s) => scaleToProfile(s, p)) : given, header.net.crop)
      const dataArg = flags.data ?? profile?.dataset
      if (dataArg === undefined) throw new EvalInputError('no dataset: give --data DIR (or --profile, whose dataset is the default)')
      const dataRoot = await ensureDataset(dataArg, undefined, {log: (l) => this.logToStderr(l)})
      // A profile's val cap (smoke) applies unless --max-images says otherwise.
      const maxImages = flags['max-images'] ?? profile?.maxValImages
      const precision = resolvePrecisionChoice(flags.precision, profile?.precision ?? 'auto')
      if (!this.jsonEnabled()) this.logToStderr(precisionLine(precision))
      const split = flags.minival ? 'minival' : 'val'
      const bf16 = precision.precision === 'bf16' ? 'bf16' : undefined
      const variant = [split, flags['dense-fit'], bf16].filter((x) => x !== undefined && x !== 'val').join('-') || 'val'
      const outDir = flags.out ?? defaultEvalDir(flags.checkpoint, dataRoot, maxImages, runsRoot(), variant)

      const result = await evaluateTechniqueSet({
        checkpoint: flags.checkpoint,
        dataRoot,
        technique,
        scales,
        crop: header.net.crop,
        outDir,
        batchSize: flags['batch-size'] ?? profile?.evalBatchSize,
        maxImages,
        split,
        denseFit: flags['dense-fit'] as DenseFit | undefined,
        dtype: flags.fp16 ? 'float16' : 'float32',
        precision: precision.precision,
        onPart: (t, q, i, count) => {
          if (!this.jsonEnabled()) this.logToStderr(`[${i + 1}/${count}] ${t} Q=${q}`)
        },
      })
      for (const part of result.parts) {
        this.log(
          `${part.technique.padEnd(10)} Q=${String(part.scale).padEnd(4)} top-1 ${fmtErr(part, 'top1')}  top-5 ${fmtErr(part, 'top5')}  n=${part.n}  ${part.imgPerS.toFixed(1)} img/s  ${part.posteriors}`,
        )
      }
      if (result.parts.length > 1) {
        this.log(`${technique} Q=${scales.join(',')} (posteriors averaged): top-1 ${fmtErr(result, 'top1')}  top-5 ${fmtErr(result, 'top5')}  n=${result.n}  ${result.posteriors}`)
      }
      if (result.skipped > 0) {
        this.log(`note: ${result.basis}: ${result.skippedImages.map((s) => s.id).join(', ')}`)
      }
      return {
        ...result,
        checkpoint: flags.checkpoint,
        dataRoot,
        scalesGiven: given,
        ...(profile !== undefined ? {profile: profile.name} : {}),
        backend: info.backend,
        precision: precision.precision,
      }
    } catch (error) {
      return failIfUserError(this, error)
    }
  }
}
