// What `vgg-repro doctor` reports: the backend in use, its devices and a
// measured convolution speed, plus what is wrong and how to fix it.
import os from 'node:os'
import {initBackend, gpuPresent, interOpSetting, SLOWDOWN_VS_NATIVE, type BackendName} from './backend.js'
import {measureConvGflops, type ConvBenchmark} from './conv-benchmark.js'
import {loadedCudaRuntime} from './cuda-runtime.js'
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
  /**
   * The GPU TensorFlow computes on (GPU:0) and the CUDA stack it loaded; every field null
   * (libraries empty) without a GPU or on the CPU build. Unverified: built from NVIDIA's
   * documentation, never run on a GPU (src/backend/cuda-runtime.ts).
   */
  cuda: DoctorCuda
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

export interface DoctorCuda {
  /** GPU:0's name and compute capability (the driver API, else nvidia-smi) */
  device: string | null
  computeCapability: string | null
  /** the NVIDIA driver version, e.g. "550.54.15" */
  driver: string | null
  /** the newest CUDA that driver supports */
  driverCuda: string | null
  /** the CUDA runtime (libcudart) TensorFlow loaded into this process */
  runtime: string | null
  /** the cuDNN TensorFlow loaded into this process */
  cudnn: string | null
  /** the CUDA library files mapped into this process */
  libraries: string[]
  /** what could not be read */
  notes: string[]
}

export const NO_CUDA: DoctorCuda = {device: null, computeCapability: null, driver: null, driverCuda: null, runtime: null, cudnn: null, libraries: [], notes: []}

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
  // After the convolution ran, TensorFlow's GPU build has loaded its CUDA libraries.
  let cuda = NO_CUDA
  if (info.backend === 'tensorflow' && info.gpu) {
    const loaded = loadedCudaRuntime()
    cuda = {
      // the driver API's device 0 is TensorFlow's GPU:0 (both follow CUDA_VISIBLE_DEVICES); nvidia-smi's order may differ
      device: loaded.name ?? first?.name ?? null,
      computeCapability: loaded.computeCapability ?? first?.computeCapability ?? null,
      driver: first?.driver ?? null,
      driverCuda: loaded.driverCuda,
      runtime: loaded.cuda,
      cudnn: loaded.cudnn,
      libraries: loaded.libraries,
      notes: loaded.notes,
    }
    if (!loaded.libraries.some((f) => /\/libcuda\.so/.test(f))) {
      problems.push(
        "TensorFlow's GPU build is loaded but has not loaded the CUDA driver (libcuda.so.1): it computes on the CPU; `TF_CPP_MIN_LOG_LEVEL=0 npx vgg-repro doctor` shows TensorFlow's reason (often a CUDA library it could not dlopen)",
      )
    }
  }
  return {
    backend: info.backend,
    source: info.source,
    tfVersion: info.tfVersion,
    gpu: info.gpu && gpus.length > 0 && cuda.libraries.some((f) => /\/libcuda\.so/.test(f)),
    devices: ['CPU:0', ...gpus.map((g) => `GPU:${g.index} ${g.name}`)],
    gpus,
    cuda,
    threads: {
      cores: os.cpus().length,
      intraOp: process.env.TF_NUM_INTRAOP_THREADS ?? 'TensorFlow default (one per core)',
      interOp: interOpSetting(),
    },
    trainStep: graphSessionsAvailable() ? 'graph' : 'eager',
    precision: {
      setting: 'auto',
      ...resolveHostPrecision('auto', cuda.device === null ? undefined : {name: cuda.device, ...(cuda.computeCapability !== null ? {computeCapability: cuda.computeCapability} : {})}),
      bf16CpuFlags: NATIVE_BF16_CPU_FLAGS.filter((f) => readCpuFlags().includes(f)),
    },
    convGflops: Number(bench.gflops.toPrecision(3)),
    convBenchmark: bench,
    node: process.version,
    problems,
  }
}

/** The GPU TensorFlow computes on and the CUDA stack it loaded, in one line. */
export function cudaLine(report: Pick<DoctorReport, 'cuda' | 'gpu'>): string {
  const c = report.cuda
  if (c.device === null && c.libraries.length === 0) return 'none (no GPU, or the CPU build of TensorFlow)'
  const u = (x: string | null) => x ?? 'unknown'
  return (
    `GPU:0 ${u(c.device)}, compute capability ${u(c.computeCapability)}, driver ${u(c.driver)} (supports CUDA ${u(c.driverCuda)}); ` +
    `TensorFlow loaded CUDA runtime ${u(c.runtime)}, cuDNN ${u(c.cudnn)}` +
    (report.gpu ? '' : ' (not computing on the GPU: see the problems below)')
  )
}
