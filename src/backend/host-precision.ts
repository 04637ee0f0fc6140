// The facts `auto` precision is decided from, read off this machine: CPU flags, the
// GPU TensorFlow uses, and this machine's last benchmark (results/bench.json) if its
// CPU matches. Kept apart from precision.ts so the rule itself is tested on injected facts.
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {backendInfo, PROJECT_ROOT} from './backend.js'
import {driverGpu0} from './cuda-runtime.js'
import {graphSessionsAvailable} from './graph-session.js'
import {nvidiaGpus} from './gpu-info.js'
import {benchRatioForThisMachine, parsePrecision, readCpuFlags, resolvePrecision, type PrecisionFacts, type PrecisionSetting, type ResolvedPrecision} from './precision.js'
import {envValue} from '../util/env.js'

function benchJson(): unknown {
  const results = envValue('VGG_REPRO_RESULTS') ?? path.join(PROJECT_ROOT, 'results')
  try {
    return JSON.parse(readFileSync(path.join(results, 'bench.json'), 'utf8'))
  } catch {
    return undefined
  }
}

/**
 * The GPU TensorFlow computes on (GPU:0): as the driver API names it (it follows
 * CUDA_VISIBLE_DEVICES and CUDA's device order, as TensorFlow does, and knows the compute
 * capability where nvidia-smi is too old to), else nvidia-smi's first GPU.
 */
function firstGpu(): NonNullable<PrecisionFacts['gpu']> {
  const d = driverGpu0()
  if (d?.computeCapability !== undefined) return d
  const g = nvidiaGpus()[0]
  return g === undefined ? (d ?? {name: 'unknown GPU'}) : {name: g.name, computeCapability: g.computeCapability}
}

/** This machine's facts (call after initBackend). `gpu`: the GPU's name and compute capability when one is in use. */
export function hostPrecisionFacts(gpu?: PrecisionFacts['gpu']): PrecisionFacts {
  const info = backendInfo()
  return {
    cpuFlags: readCpuFlags(),
    gpu: info?.gpu === true ? (gpu ?? firstGpu()) : null,
    benchBf16OverFp32: benchRatioForThisMachine(benchJson()),
    eagerOnly: !graphSessionsAvailable(),
  }
}

/** `setting` resolved on this machine. */
export function resolveHostPrecision(setting: PrecisionSetting, gpu?: PrecisionFacts['gpu']): ResolvedPrecision {
  return resolvePrecision(setting, hostPrecisionFacts(gpu))
}

/** A command's precision: its --precision flag (validated, one-line error) over the profile's setting, resolved here. */
export function resolvePrecisionChoice(flag: string | undefined, profileSetting: PrecisionSetting): ResolvedPrecision {
  return resolveHostPrecision(flag === undefined ? profileSetting : parsePrecision(flag))
}
