import {existsSync} from 'node:fs'
import path from 'node:path'
import {Command, Flags} from '@oclif/core'
import {PROJECT_ROOT} from '../backend/backend.js'
import {waitForLoad} from '../bench/load.js'
import {writeBenchReport} from '../bench/report.js'
import {runBench} from '../bench/run-bench.js'
import {parseEnvArm, type EnvArm} from '../bench/env-arms.js'
import type {BenchResult} from '../bench/types.js'
import {parsePrecision} from '../backend/precision.js'
import {backendFlag} from '../cli/backend-flag.js'
import {precisionFlag} from '../cli/precision-flag.js'
import {failIfUserError, failOneLine} from '../cli/errors.js'
import {defaultCacheDir} from '../data/cache-dir.js'
import {KNOWN_DATASETS} from '../data/ensure-dataset.js'
import {loadProfile} from '../experiments/profile.js'
import {isConfigName, type ConfigName} from '../models/index.js'

export default class Bench extends Command {
  static description = `Measure training and evaluation speed at the subset profile's size: images/s per config (A ... E) on random input
and through the input pipeline, in fp32 and bf16 mixed precision, the same step in PyTorch (fp32 and bf16 autocast),
achieved GFLOP/s against the machine's float32 and bfloat16 GEMM rates,
evaluation images/s, and peak memory of a training run. Writes results/bench.md and results/bench.json.`

  static examples = [
    '<%= config.bin %> bench --data ~/data/imagenette2-224',
    '<%= config.bin %> bench --data DIR --quick',
    'TF_NUM_INTEROP_THREADS=1 <%= config.bin %> bench --data DIR --configs A,D --out /tmp/b',
    '<%= config.bin %> bench --data DIR --env-arm interop-tf-default:TF_NUM_INTEROP_THREADS=0',
  ]

  static enableJsonFlag = true
  static flags = {
    data: Flags.string({description: 'ImageFolder dataset root for the pipeline, evaluation and training-run measurements (default: the profile dataset if already downloaded)'}),
    quick: Flags.boolean({description: 'configs A and E only, fewer steps, one eval scale (~2 min); writes bench-quick.md/.json'}),
    profile: Flags.string({description: 'profile giving size, batch and optimizer', default: 'subset'}),
    configs: Flags.string({description: 'comma-separated configs to measure (default: all six; --quick: A,E)'}),
    batch: Flags.integer({description: 'training batch (default: the profile batch)', min: 1}),
    steps: Flags.integer({description: 'timed steps per measurement (default 10; --quick 6)', min: 3}),
    rounds: Flags.integer({description: 'rounds of the compute-only step per config, every arm back to back in each; ratios are the median of the per-round ratios (default 3; --quick 1)', min: 1}),
    workers: Flags.integer({description: 'decode worker threads for the pipeline measurement (default: the data stream default)', min: 1}),
    'install-torch': Flags.boolean({description: 'if PyTorch is missing, try `python3 -m pip install --quiet torch==2.13.0`'}),
    eager: Flags.boolean({description: 'also measure the eager step (tfjs ops and autodiff) for comparison, on the native backend', default: true, allowNo: true}),
    'no-torch': Flags.boolean({description: 'do not run the PyTorch reference'}),
    'max-load': Flags.string({description: 'wait until the 1-minute load average is below this before measuring (shared machines)'}),
    'max-wait': Flags.integer({description: 'minutes to wait for --max-load before measuring anyway', default: 30}),
    out: Flags.string({description: 'folder for bench.md / bench.json', default: path.join(PROJECT_ROOT, 'results')}),
    'env-arm': Flags.string({
      description: 'also time the training step under other environment settings, side by side, each in a fresh process: name:KEY=VALUE[,KEY=VALUE] (repeatable)',
      multiple: true,
    }),
    backend: backendFlag,
    precision: precisionFlag,
  }

  async run(): Promise<BenchResult> {
    const {flags} = await this.parse(Bench)
    const log = (line: string) => {
      if (!this.jsonEnabled()) this.logToStderr(line)
    }
    try {
      const configs = flags.configs?.split(',').map((c) => c.trim())
      const bad = configs?.filter((c) => !isConfigName(c)) ?? []
      if (bad.length > 0) failOneLine(this, `unknown config ${bad.join(', ')}: valid are A, A-LRN, B, C, D, E`)
      let envArms: EnvArm[] | undefined
      try {
        envArms = flags['env-arm']?.map(parseEnvArm)
      } catch (e) {
        failOneLine(this, (e as Error).message)
      }
      const profile = loadProfile(flags.profile)
      let data: string | {skipped: string}
      if (flags.data !== undefined) {
        if (!existsSync(flags.data)) failOneLine(this, `--data ${flags.data}: no such folder`)
        data = path.resolve(flags.data)
      } else {
        const known = KNOWN_DATASETS[profile.dataset]
        const cached = known !== undefined ? path.join(defaultCacheDir(), 'datasets', known.folder) : profile.dataset
        data = existsSync(cached) ? cached : {skipped: `no --data given and ${profile.dataset} is not downloaded; pipeline, evaluation and training-run measurements skipped`}
      }
      let waitedMs: number | undefined
      if (flags['max-load'] !== undefined) {
        const max = Number(flags['max-load'])
        if (!(max > 0)) failOneLine(this, `--max-load must be a positive number, got ${flags['max-load']}`)
        const w0 = Date.now()
        const w = await waitForLoad(max, flags['max-wait'] * 60_000, log)
        waitedMs = Date.now() - w0
        if (!w.ok) log(`load still ${w.load1?.toFixed(2)} after ${flags['max-wait']} min: measuring anyway (recorded in the results)`)
      }
      const result = await runBench({
        profile: flags.profile,
        data,
        quick: flags.quick,
        configs: configs as ConfigName[] | undefined,
        batch: flags.batch,
        steps: flags.steps,
        rounds: flags.rounds,
        workers: flags.workers,
        installTorch: flags['install-torch'],
        noTorch: flags['no-torch'],
        backend: flags.backend,
        log,
        loadWaitedMs: waitedMs,
        eager: flags.eager,
        precision: flags.precision === undefined ? undefined : parsePrecision(flags.precision),
        envArms,
      })
      const files = await writeBenchReport(result, flags.out, flags.quick ? 'bench-quick' : 'bench')
      log(`wrote ${files.md} and ${files.json}`)
      return result
    } catch (error) {
      return failIfUserError(this, error)
    }
  }
}
