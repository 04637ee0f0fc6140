import {Command, Flags} from '@oclif/core'
import Table from 'cli-table3'
import {failIfUserError} from '../cli/errors.js'
import {loadProfile} from '../experiments/profile.js'
import {PAPER_SCALE, summarizeModels, validateSpec, type ModelSummary, type NetSpec} from '../models/index.js'

export interface ModelsResult {
  /** 'paper' defaults, or the profile name; explicit flags override either */
  source: string
  scale: Omit<NetSpec, 'config'>
  models: ModelSummary[]
}

/** "0.0625", "1/16" -> 0.0625 */
function parseFraction(input: string): number {
  const m = /^\s*([0-9.]+)\s*(?:\/\s*([0-9.]+))?\s*$/.exec(input)
  const value = m === null ? Number.NaN : Number(m[1]) / (m[2] === undefined ? 1 : Number(m[2]))
  if (!(Number.isFinite(value) && value > 0)) throw new Error(`expected a positive number or fraction like 1/16, got "${input}"`)
  return value
}

export default class Models extends Command {
  static description = 'List the VGG configurations (Table 1) with parameter counts and forward FLOPs per image'
  static examples = ['<%= config.bin %> models', '<%= config.bin %> models --profile smoke', '<%= config.bin %> models --crop 64 --width-factor 1/4 --json']
  static enableJsonFlag = true
  static flags = {
    profile: Flags.string({description: 'take crop, width factor, FC width and classes from this profile (name or .yaml path)'}),
    crop: Flags.integer({description: 'training crop side, a multiple of 32 (paper 224)'}),
    'width-factor': Flags.custom<number>({description: 'conv channels x this, e.g. 0.25 or 1/4 (paper 1)', parse: async (s) => parseFraction(s)})(),
    'fc-width': Flags.integer({description: 'width of fc6 and fc7 (paper 4096)'}),
    classes: Flags.integer({description: 'number of classes (paper 1000)'}),
  }

  async run(): Promise<ModelsResult> {
    const {flags} = await this.parse(Models)
    let source = 'paper'
    let scale = {...PAPER_SCALE}
    try {
      if (flags.profile !== undefined) {
        const p = loadProfile(flags.profile)
        source = p.name
        scale = {widthFactor: p.widthFactor, fcWidth: p.fcWidth, numClasses: p.numClasses, crop: p.crop}
      }
      scale = {
        widthFactor: flags['width-factor'] ?? scale.widthFactor,
        fcWidth: flags['fc-width'] ?? scale.fcWidth,
        numClasses: flags.classes ?? scale.numClasses,
        crop: flags.crop ?? scale.crop,
      }
      validateSpec({config: 'A', ...scale})
    } catch (error) {
      return failIfUserError(this, error)
    }
    const models = summarizeModels(scale)
    const atPaperScale = (Object.keys(PAPER_SCALE) as (keyof typeof PAPER_SCALE)[]).every((k) => scale[k] === PAPER_SCALE[k])
    this.log(
      `${source === 'paper' ? 'paper scale' : `profile ${source}`}: crop ${scale.crop}, width x${scale.widthFactor}, ` +
        `FC ${scale.fcWidth}, ${scale.numClasses} classes`,
    )
    const head = ['config', 'weight layers', 'params (M)', ...(atPaperScale ? ['Table 2 (M)'] : []), 'forward GFLOPs/image']
    const table = new Table({head, style: {head: [], border: [], compact: true}, colAligns: head.map((_, i) => (i === 0 ? 'left' : 'right'))})
    for (const m of models) {
      table.push([
        m.config,
        String(m.depth),
        (m.params / 1e6).toFixed(m.params < 1e7 ? 3 : 2),
        ...(atPaperScale ? [String(m.paperParamsM)] : []),
        (m.forwardFlops / 1e9).toFixed(m.forwardFlops < 1e8 ? 4 : 2),
      ])
    }
    this.log(table.toString())
    return {source, scale, models}
  }
}
