// Which arithmetic the training and evaluation graphs compute in: fp32, or bf16 mixed
// precision (bfloat16 convolutions, matrix products and their gradients; float32 master
// weights, momentum, weight decay, soft-max cross-entropy and loss). docs/precision.md
// has the parity measurement behind `auto` and the speed it buys.
//
// `auto` takes bf16 only where the hardware computes it natively (CPU flags amx_bf16 or
// avx512_bf16; an NVIDIA GPU of compute capability 8.0 or later) and no benchmark of
// this machine measured it slower; fp32 elsewhere. Emulated bf16 (AVX2 CPUs) is slower
// than fp32, so auto never picks it there.
import {readFileSync} from 'node:fs'
import os from 'node:os'
import type {ComputeDtype} from './graph-builder.js'

export type Precision = 'fp32' | 'bf16'
export type PrecisionSetting = Precision | 'auto'
export const PRECISION_SETTINGS: readonly PrecisionSetting[] = ['fp32', 'bf16', 'auto']

/**
 * The parity of bf16 against fp32 training (docs/precision.md, "Parity"): 'within' when
 * the mean paired difference of the same seeds' errors lay within the measured seed
 * noise; until then ('pending') or otherwise ('outside'), `auto` stays fp32 everywhere.
 */
export type Bf16Parity = 'pending' | 'within' | 'outside'
export const BF16_PARITY: Bf16Parity = 'within'
const PARITY_DOC = 'docs/precision.md'

/** What `auto` is decided from; injected in tests, read from the machine by hostPrecisionFacts. */
export interface PrecisionFacts {
  /** CPU feature flags (/proc/cpuinfo `flags`) */
  cpuFlags: string[]
  /** the GPU TensorFlow computes on, if any */
  gpu?: {name: string; computeCapability?: string} | null
  /** a benchmark of this machine (results/bench.json with the same CPU): bf16 over fp32 step speed, median over configs */
  benchBf16OverFp32?: number
  /** the eager step (no graph sessions) computes in fp32 only */
  eagerOnly?: boolean
  /** default BF16_PARITY (tests inject it) */
  parity?: Bf16Parity
}

export interface ResolvedPrecision {
  precision: Precision
  /** one sentence: why this precision (doctor prints it) */
  reason: string
}

/** The CPU flags that compute bf16 dot products natively. */
export const NATIVE_BF16_CPU_FLAGS = ['amx_bf16', 'avx512_bf16'] as const

export class PrecisionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PrecisionError'
  }
}

/** A user's precision text, or one line saying what is accepted (fp16 gets its own reason). */
export function parsePrecision(text: string, where = '--precision'): PrecisionSetting {
  const t = text.trim().toLowerCase()
  if ((PRECISION_SETTINGS as readonly string[]).includes(t)) return t as PrecisionSetting
  if (t === 'fp16' || t === 'float16' || t === 'half')
    throw new PrecisionError(`${where}: ${text} is not supported (fp16 needs loss scaling, which the trainer does not do); use bf16, fp32 or auto`)
  throw new PrecisionError(`${where}: "${text}" is not a precision; use fp32, bf16 or auto`)
}

function gpuSupportsBf16(cc: string | undefined): boolean {
  const major = Number.parseInt(cc ?? '', 10)
  return Number.isFinite(major) && major >= 8
}

/** What `setting` means on a machine with these facts, and why. */
export function resolvePrecision(setting: PrecisionSetting, facts: PrecisionFacts): ResolvedPrecision {
  if (setting === 'fp32') return {precision: 'fp32', reason: 'fp32 was asked for'}
  if (facts.eagerOnly === true) {
    const why = 'the eager step (no native TensorFlow graph sessions) computes in fp32 only'
    return {precision: 'fp32', reason: setting === 'bf16' ? `bf16 was asked for, but ${why}` : why}
  }
  if (setting === 'bf16') return {precision: 'bf16', reason: 'bf16 was asked for'}
  const parity = facts.parity ?? BF16_PARITY
  if (parity === 'pending') return {precision: 'fp32', reason: `bf16 training has not yet been shown to match fp32 within seed noise (${PARITY_DOC}); --precision bf16 uses it anyway`}
  if (parity === 'outside') return {precision: 'fp32', reason: `bf16 training did not match fp32 within seed noise (${PARITY_DOC})`}
  let native: string | undefined
  if (facts.gpu != null) {
    if (!gpuSupportsBf16(facts.gpu.computeCapability))
      return {precision: 'fp32', reason: `GPU ${facts.gpu.name} (compute capability ${facts.gpu.computeCapability ?? 'unknown'}) has no bf16 tensor cores (needs 8.0 or later)`}
    native = `GPU ${facts.gpu.name} (compute capability ${facts.gpu.computeCapability}) computes bf16 natively`
  } else {
    const flag = NATIVE_BF16_CPU_FLAGS.find((f) => facts.cpuFlags.includes(f))
    if (flag === undefined) return {precision: 'fp32', reason: `this CPU has neither ${NATIVE_BF16_CPU_FLAGS.join(' nor ')}: bf16 would be emulated, slower than fp32`}
    native = `this CPU computes bf16 natively (${flag})`
  }
  const ratio = facts.benchBf16OverFp32
  if (ratio !== undefined && !(ratio > 1))
    return {precision: 'fp32', reason: `${native}, but this machine's benchmark measured bf16 at x${ratio.toFixed(2)} of fp32 (results/bench.json)`}
  const measured = ratio === undefined ? 'no benchmark of this machine yet' : `benchmark x${ratio.toFixed(2)} over fp32`
  return {precision: 'bf16', reason: `${native}; ${measured}; bf16 matched fp32 within seed noise (${PARITY_DOC})`}
}

/** The CPU's feature flags (empty where /proc/cpuinfo is missing). */
export function readCpuFlags(cpuinfo = '/proc/cpuinfo'): string[] {
  try {
    const line = readFileSync(cpuinfo, 'utf8')
      .split('\n')
      .find((l) => /^flags\s*:/.test(l))
    return line === undefined ? [] : line.replace(/^flags\s*:/, '').trim().split(/\s+/)
  } catch {
    return []
  }
}

/** A bench result's bf16/fp32 ratio, when it was measured on a machine like this one (same CPU model and cores). */
export function benchRatioForThisMachine(bench: unknown): number | undefined {
  const b = bench as {machine?: {cpu?: string; cores?: number}; configs?: Record<string, {bf16OverFp32?: number | null}>} | undefined
  const cpus = os.cpus()
  if (b?.machine?.cpu !== cpus[0]?.model.trim() || b?.machine?.cores !== cpus.length) return undefined
  const ratios = Object.values(b.configs ?? {}).map((c) => c.bf16OverFp32).filter((r): r is number => typeof r === 'number' && Number.isFinite(r))
  if (ratios.length === 0) return undefined
  const sorted = [...ratios].sort((x, y) => x - y)
  return sorted[Math.floor(sorted.length / 2)]
}

/**
 * The precision as part of a cache key or inputs hash: nothing for fp32, the recipe
 * before mixed precision existed, so fp32 jobs, checkpoints and the committed results
 * keep the keys they had; {precision: 'bf16'} otherwise.
 */
export function precisionKey(p: Precision | undefined): {precision?: Precision} {
  return p === undefined || p === 'fp32' ? {} : {precision: p}
}

/** The graph dtype of a precision. */
export function computeDtype(p: Precision): ComputeDtype {
  return p === 'bf16' ? 'bfloat16' : 'float32'
}
