// What `vgg-repro doctor` reports: the backend in use, its devices and a
// measured convolution speed, plus what is wrong and how to fix it.
import os from 'node:os'
import {initBackend, gpuPresent, SLOWDOWN_VS_NATIVE, type BackendName} from './backend.js'
import {measureConvGflops, type ConvBenchmark} from './conv-benchmark.js'
import {graphSessionsAvailable} from './graph-session.js'
import {nvidiaGpus, type GpuFacts} from './gpu-info.js'
import {resolveHostPrecision} from './host-precision.js'
import {NATIVE_BF16_CPU_FLAGS, readCpuFlags, type ResolvedPrecision} from './precision.js'

export interface DoctorReport {
  backend: BackendName
  source: string
  tfVersion: string
  gpu: boolean
  devices: string[]
  /** nvidia-smi's facts of each GPU in use (empty on the CPU build or without a GPU) */
  gpus: GpuFacts[]
  threads: {cores: number; intraOp: string; interOp: string}
  /** how training steps run: one TensorFlow graph run per step (native) or eager tfjs ops */
  trainStep: 'graph' | 'eager'
  convGflops: number
  convBenchmark: ConvBenchmark
  /** what `auto` precision resolves to here and why; the bf16 CPU flags this CPU has */
  precision: ResolvedPrecision & {setting: 'auto'; bf16CpuFlags: string[]}
  node: string
  problems: string[]
}

export async function runDoctor(forcedBackend?: string): Promise<DoctorReport> {
  const info = await initBackend(forcedBackend)
  const gpus = info.gpu ? nvidiaGpus() : []
  const first = gpus[0]
  const problems: string[] = []
  if (info.backend !== 'tensorflow') {
    problems.push(`backend is ${info.backend}: ${SLOWDOWN_VS_NATIVE[info.backend]}`)
    problems.push(...info.fallbackReasons)
    problems.push('fix: run `npx vgg-repro setup` (needs python3 with pip and g++/make), or set LIBTENSORFLOW_ROOT to a libtensorflow 2.x folder first')
  }
  if (gpuPresent() && !info.gpu) problems.push('an NVIDIA GPU is present but the CPU build is in use: run `npx vgg-repro setup --gpu` (unverified, see README)')
  // The pure-JS backends would take minutes at the full size: measure them small.
  let bench: ConvBenchmark
  if (info.backend === 'tensorflow') {
    bench = measureConvGflops()
  } else {
    try {
      bench = measureConvGflops(1, 16, 16, 2)
    } catch (error) {
      problems.push(`the ${info.backend} backend cannot train: ${error instanceof Error ? error.message : String(error)}`)
      bench = measureConvGflops(1, 16, 16, 2, false)
    }
  }
  return {
    backend: info.backend,
    source: info.source,
    tfVersion: info.tfVersion,
    gpu: info.gpu && gpus.length > 0,
    devices: ['CPU:0', ...gpus.map((g) => `GPU:${g.index} ${g.name}`)],
    gpus,
    threads: {
      cores: os.cpus().length,
      intraOp: process.env.TF_NUM_INTRAOP_THREADS ?? 'TensorFlow default (one per core)',
      interOp: process.env.TF_NUM_INTEROP_THREADS ?? 'TensorFlow default',
    },
    trainStep: graphSessionsAvailable() ? 'graph' : 'eager',
    precision: {
      setting: 'auto',
      ...resolveHostPrecision('auto', first === undefined ? undefined : {name: first.name, computeCapability: first.computeCapability}),
      bf16CpuFlags: NATIVE_BF16_CPU_FLAGS.filter((f) => readCpuFlags().includes(f)),
    },
    convGflops: Number(bench.gflops.toPrecision(3)),
    convBenchmark: bench,
    node: process.version,
    problems,
  }
}
