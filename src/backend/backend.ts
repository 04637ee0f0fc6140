// The only module that imports a TensorFlow.js backend package. Everything else
// imports '@tensorflow/tfjs-core' for the API and calls initBackend() first.
//
// Order: native TensorFlow (the binding built by `vgg-repro setup` into .native/,
// GPU build first when a GPU is present, or an already installed
// @tensorflow/tfjs-node), then WASM, then the pure-JS cpu backend.
import * as tf from '@tensorflow/tfjs-core'
import {createRequire} from 'node:module'
import {existsSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {envFlag, envValue} from '../util/env.js'
import {installFastStep} from './fast-step.js'

export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const
export type BackendName = (typeof BACKEND_NAMES)[number]

export interface BackendInfo {
  backend: BackendName
  /** where the native binding came from (path), or the fallback package */
  source: string
  gpu: boolean
  /** the libtensorflow version for native, else tfjs-core's version */
  tfVersion: string
  /** why a faster backend was not used; empty when native */
  fallbackReasons: string[]
}

/** Project root: src/backend/ or dist/backend/ are two levels below it. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const require = createRequire(import.meta.url)
// The union package registers gradients and chained ops (x.square()) on the
// shared tfjs-core. tfjs-node loads it too, but the wasm/cpu fallbacks would not.
require('@tensorflow/tfjs')

let current: BackendInfo | undefined

export class BackendError extends Error {}

/** Validate a user-given backend name (flag or VGG_REPRO_BACKEND). */
export function parseBackendName(name: string | undefined): BackendName | undefined {
  if (name === undefined || name === '' || name === 'auto') return undefined
  if ((BACKEND_NAMES as readonly string[]).includes(name)) return name as BackendName
  throw new BackendError(`unknown backend "${name}": valid names are ${BACKEND_NAMES.join(', ')} (or auto)`)
}

/** True when an NVIDIA GPU is visible to this process. */
export function gpuPresent(): boolean {
  if (process.env.CUDA_VISIBLE_DEVICES === '' || process.env.CUDA_VISIBLE_DEVICES === '-1') return false
  return existsSync('/dev/nvidia0') || existsSync('/proc/driver/nvidia/version')
}

/** Candidate native bindings, best first. */
function nativeCandidates(): string[] {
  const dirs: string[] = []
  const gpuDir = path.join(PROJECT_ROOT, '.native', 'tfjs-node-gpu')
  if (gpuPresent() && existsSync(gpuDir)) dirs.push(gpuDir)
  const cpuDir = path.join(PROJECT_ROOT, '.native', 'tfjs-node')
  if (existsSync(cpuDir)) dirs.push(cpuDir)
  dirs.push('@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node')
  return dirs
}

/**
 * One inter-op thread unless the user set TF_NUM_INTEROP_THREADS (0 = TensorFlow's own
 * default, two pools' worth of concurrent ops). Why (issue 21, docs/reliability.md): the core
 * dump of the native heap corruption had two oneDNN convolution-backward kernels running at
 * once; one inter-op thread runs one op at a time (each op still uses every core through the
 * intra-op pool). Measured cost: 1-2% of the bench's training step (`bench --env-arm`), 4.4% in a
 * training run of net A (bench/history.yaml). Must be set
 * before TensorFlow starts: it reads the variable once.
 */
export const DEFAULT_INTEROP_THREADS = '1'
const userInterOp = process.env.TF_NUM_INTEROP_THREADS

/** What the inter-op setting is and where it came from, for `doctor`. */
export function interOpSetting(): string {
  const v = process.env.TF_NUM_INTEROP_THREADS
  if (v === undefined) return "TensorFlow default (the native backend is not started)"
  if (userInterOp === undefined) return `${v} (vgg-repro's default; TF_NUM_INTEROP_THREADS=0 gives TensorFlow's own)`
  return v === '0' ? "TensorFlow default (TF_NUM_INTEROP_THREADS=0)" : `${v} (TF_NUM_INTEROP_THREADS)`
}

function tryNative(reasons: string[]): BackendInfo | undefined {
  // Quiet TensorFlow's C++ start-up logging unless the user asked for it.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2'
  process.env.TF_NUM_INTEROP_THREADS ??= DEFAULT_INTEROP_THREADS
  for (const candidate of nativeCandidates()) {
    const isPackageName = candidate.startsWith('@')
    if (isPackageName) {
      try {
        require.resolve(candidate)
      } catch {
        continue
      }
    }
    try {
      require(candidate)
      if (tf.findBackend('tensorflow') === null) throw new Error('package loaded but registered no tensorflow backend')
      tf.setBackend('tensorflow')
      if (!envFlag('VGG_REPRO_STOCK_STEP')) installFastStep()
      const binding = (tf.backend() as unknown as {binding?: {TF_Version?: string}}).binding
      return {
        backend: 'tensorflow',
        source: candidate,
        gpu: candidate.includes('gpu'),
        tfVersion: binding?.TF_Version ?? 'unknown',
        fallbackReasons: [],
      }
    } catch (error) {
      reasons.push(`native binding ${candidate} failed to load: ${firstLine(error)}`)
    }
  }
  if (reasons.length === 0) reasons.push('no native TensorFlow binding is installed (run `npx vgg-repro setup`)')
  return undefined
}

async function tryWasm(reasons: string[]): Promise<BackendInfo | undefined> {
  try {
    require('@tensorflow/tfjs-backend-wasm')
    const ok = await tf.setBackend('wasm')
    if (!ok) throw new Error('setBackend("wasm") returned false')
    return {backend: 'wasm', source: '@tensorflow/tfjs-backend-wasm', gpu: false, tfVersion: tf.version_core, fallbackReasons: reasons}
  } catch (error) {
    reasons.push(`wasm backend failed: ${firstLine(error)}`)
    return undefined
  }
}

async function useCpu(reasons: string[]): Promise<BackendInfo> {
  require('@tensorflow/tfjs-backend-cpu')
  await tf.setBackend('cpu')
  return {backend: 'cpu', source: '@tensorflow/tfjs-backend-cpu', gpu: false, tfVersion: tf.version_core, fallbackReasons: reasons}
}

/**
 * Choose and initialise the backend once per process. `forced` (a flag) wins over
 * VGG_REPRO_BACKEND; a forced backend that cannot load is an error, not a fallback.
 */
export async function initBackend(forced?: string): Promise<BackendInfo> {
  const wanted = parseBackendName(forced ?? envValue('VGG_REPRO_BACKEND'))
  if (current !== undefined) {
    if (wanted !== undefined && wanted !== current.backend) {
      throw new BackendError(`backend already initialised as ${current.backend}; cannot switch to ${wanted}`)
    }
    return current
  }
  const reasons: string[] = []
  let info: BackendInfo | undefined
  if (wanted === undefined || wanted === 'tensorflow') info = tryNative(reasons)
  if (info === undefined && wanted === 'tensorflow') {
    throw new BackendError(`the native TensorFlow backend is not available: ${reasons.join('; ')}`)
  }
  if (info === undefined && (wanted === undefined || wanted === 'wasm')) info = await tryWasm(reasons)
  if (info === undefined && wanted === 'wasm') throw new BackendError(reasons.join('; '))
  info ??= await useCpu(reasons)
  await tf.ready()
  current = info
  return info
}

/** The backend chosen by initBackend, or undefined before it ran. */
export function backendInfo(): BackendInfo | undefined {
  return current
}

/**
 * Measured with `vgg-repro doctor` on the 2-core development machine (3x3 conv,
 * batch 16, 56x56x128): native forward+backward ~137 GFLOP/s.
 */
export const SLOWDOWN_VS_NATIVE: Record<BackendName, string> = {
  tensorflow: '1x',
  wasm: 'it cannot train at all (no Conv2DBackpropFilter kernel) and its forward conv runs at ~12 GFLOP/s, about 10x slower than native',
  cpu: 'its conv runs at ~0.02 GFLOP/s forward+backward, several thousand times slower than native (~137 GFLOP/s)',
}

/** A loud, multi-line warning for training on a non-native backend. */
export function slowBackendWarning(info: BackendInfo): string | undefined {
  if (info.backend === 'tensorflow') return undefined
  const bar = '!'.repeat(78)
  return [
    bar,
    `!! Training on the ${info.backend} backend: ${SLOWDOWN_VS_NATIVE[info.backend]}.`,
    ...info.fallbackReasons.map((r) => `!! why not native: ${r}`),
    '!! Fix: run `npx vgg-repro setup` (see `npx vgg-repro doctor`).',
    bar,
  ].join('\n')
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.split('\n')[0]
}
