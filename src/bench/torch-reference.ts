// The same training step in PyTorch (bench/torch_step.py), measured in the same
// bench run. The architecture is sent as our plan so both engines train the same layers.
import type {InitSpec, NetSpec} from '../models/index.js'
import {planNet} from '../models/plan.js'
import {JsonLineServer, PYTHON, benchScript, runPython} from './python.js'
import {imagesPerSecond, summarize, type TimingSummary} from './stats.js'
import type {StepSetup} from './step-runner.js'

export const TORCH_PIN = 'torch==2.13.0'

export interface TorchPlan {
  convs: {k: number; cin: number; cout: number; lrn: boolean; pool: boolean}[]
  fcs: {in: number; out: number; relu: boolean; dropout: boolean}[]
}

/** Our plan's layers in torch_step.py's form: LRN, pool and dropout as flags of the layer they follow. */
export function torchPlan(spec: NetSpec): TorchPlan {
  const out: TorchPlan = {convs: [], fcs: []}
  for (const layer of planNet(spec).layers) {
    const conv = out.convs[out.convs.length - 1]
    if (layer.kind === 'conv') out.convs.push({k: layer.kernelShape[0], cin: layer.kernelShape[2], cout: layer.kernelShape[3], lrn: false, pool: false})
    else if (layer.kind === 'lrn') conv.lrn = true
    else if (layer.kind === 'pool') conv.pool = true
    else if (layer.kind === 'fc') out.fcs.push({in: layer.kernelShape[0], out: layer.kernelShape[1], relu: layer.relu, dropout: false})
    else out.fcs[out.fcs.length - 1].dropout = true
  }
  return out
}

/** Our step's settings (step-runner.ts), and how to time it. */
export interface TorchStepRequest extends Omit<StepSetup, 'seed' | 'engine' | 'dtype'> {
  warmup: number
  steps: number
  /** 'bf16': the step under torch.autocast('cpu', dtype=torch.bfloat16) */
  autocast?: 'bf16'
  /** 'auto' tries channels_last and contiguous briefly and keeps the faster */
  memoryFormat?: 'auto' | 'channels_last' | 'contiguous'
}

export interface TorchTiming {
  stepMs: TimingSummary
  imgPerS: number
  memoryFormat: string
  trialMs?: Record<string, number>
  threads: number
}

export class TorchReference {
  private constructor(
    private readonly server: JsonLineServer,
    readonly version: string,
    readonly threads: number,
  ) {}

  /**
   * Start the reference server. Without torch: with `install`, try pip once; else
   * return the one-line reason to print.
   */
  static async start(opts: {install: boolean; log: (line: string) => void}): Promise<TorchReference | {skipped: string}> {
    const first = await TorchReference.tryStart()
    if (!('skipped' in first) || !opts.install || !first.noTorch) return first
    opts.log(`PyTorch not found: installing ${TORCH_PIN} with pip (--install-torch)`)
    const pip = await runPython(['-m', 'pip', 'install', '--quiet', TORCH_PIN])
    if (pip.code !== 0) {
      const why = (pip.error ?? pip.stderr.trim().split('\n').at(-1) ?? '').slice(0, 200)
      return {skipped: `PyTorch: \`${PYTHON} -m pip install ${TORCH_PIN}\` failed (${why}); torch columns skipped`}
    }
    return TorchReference.tryStart()
  }

  private static async tryStart(): Promise<TorchReference | {skipped: string; noTorch?: boolean}> {
    const server = new JsonLineServer([benchScript('torch_step.py'), '--serve'])
    const hello = await server.next()
    if (hello?.ready === true) return new TorchReference(server, String(hello.torch), Number(hello.threads))
    await server.close()
    if (hello?.error === 'no-torch') {
      return {
        skipped: `PyTorch: not installed for ${PYTHON} (${String(hello.detail)}); torch columns skipped (pass --install-torch to pip install ${TORCH_PIN})`,
        noTorch: true,
      }
    }
    const why = server.stderr.trim().split('\n').at(-1) ?? 'no reply'
    return {skipped: `PyTorch: could not run ${PYTHON} ${benchScript('torch_step.py')} (${why}); torch columns skipped`}
  }

  async trainStep(req: TorchStepRequest): Promise<TorchTiming> {
    const reply = await this.server.request({
      cmd: 'train',
      plan: torchPlan(req.spec),
      crop: req.spec.crop,
      batch: req.batch,
      lr: req.lr,
      momentum: req.momentum,
      weightDecay: req.weightDecay,
      dropout: req.dropout,
      init: req.init,
      warmup: req.warmup,
      steps: req.steps,
      memoryFormat: req.memoryFormat ?? 'auto',
      ...(req.autocast !== undefined ? {autocast: req.autocast} : {}),
    })
    if (reply === undefined) throw new Error(`PyTorch reference ended: ${this.server.stderr.trim().split('\n').at(-1) ?? ''}`)
    if (reply.ok !== true) throw new Error(`PyTorch reference: ${String(reply.error)}: ${String(reply.detail ?? '')}`)
    const stepMs = summarize(reply.stepMs as number[])
    return {
      stepMs,
      imgPerS: imagesPerSecond(req.batch, stepMs.median),
      memoryFormat: String(reply.memoryFormat),
      trialMs: (reply.trialMs as Record<string, number> | null) ?? undefined,
      threads: Number(reply.threads),
    }
  }

  /** The machine's GEMM rate in `dtype` through PyTorch (oneDNN's bf16 kernels for bfloat16). */
  async gemm(dtype: 'float32' | 'bfloat16', n = 2048, reps = 10): Promise<{gflops: number; source: string}> {
    const reply = await this.server.request({cmd: 'gemm', dtype, n, reps})
    if (reply?.ok !== true) throw new Error(`PyTorch reference gemm: ${String(reply?.error ?? 'no reply')}: ${String(reply?.detail ?? '')}`)
    return {gflops: Number(reply.gflops), source: `torch ${this.version} matmul ${n}x${n} ${dtype}, median of ${reps}`}
  }

  close(): Promise<void> {
    return this.server.close()
  }
}
