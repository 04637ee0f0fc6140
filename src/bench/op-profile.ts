// Which native TensorFlow ops one call runs, and how long each took: wraps the
// tfjs-node binding's executeOp for the duration of one (synchronous) call. Native
// eager ops run synchronously, so per-op wall time is its compute plus overhead.
import * as tf from '@tensorflow/tfjs-core'

export interface OpProfile {
  /** TF ops executed (TFE_Execute calls) */
  ops: number
  /** host -> backend tensor creations (uploads, shape/scalar tensors) */
  uploads: number
  /** wall time inside executeOp, ms */
  opMs: number
  /** wall time of the whole call, ms (the rest is JS: autodiff, tracking, host work) */
  totalMs: number
  byOp: {name: string; count: number; ms: number}[]
}

interface Binding {
  executeOp(name: string, attrs: unknown, inputs: unknown, n: number): unknown
  runSavedModel(...args: unknown[]): unknown
  createTensor(...args: unknown[]): unknown
}

/** Undefined on backends without a native binding (wasm, cpu). */
export function profileOps<T>(fn: () => T): {result: T; profile: OpProfile | undefined} {
  const backend = tf.backend() as unknown as {binding?: Binding}
  const binding = backend.binding
  if (binding === undefined || typeof binding.executeOp !== 'function') return {result: fn(), profile: undefined}
  const byOp = new Map<string, {count: number; ms: number}>()
  let uploads = 0
  let opMs = 0
  const timed = <T>(name: string, call: () => T): T => {
    const t0 = performance.now()
    try {
      return call()
    } finally {
      const ms = performance.now() - t0
      opMs += ms
      const e = byOp.get(name) ?? {count: 0, ms: 0}
      e.count += 1
      e.ms += ms
      byOp.set(name, e)
    }
  }
  const exec = (name: string, attrs: unknown, inputs: unknown, n: number) => timed(name, () => binding.executeOp(name, attrs, inputs, n))
  // The graph engine's whole step is one session run: counted as one op named SessionRun.
  const runSession = (...args: unknown[]) => timed('SessionRun', () => binding.runSavedModel(...args))
  const create = (...args: unknown[]) => {
    uploads += 1
    return binding.createTensor(...args)
  }
  // The native binding's properties are read-only: give the backend an object that
  // inherits everything from it and overrides the three calls.
  backend.binding = Object.create(binding as object, {
    executeOp: {value: exec},
    runSavedModel: {value: runSession},
    createTensor: {value: create},
  }) as Binding
  const t0 = performance.now()
  try {
    const result = fn()
    const totalMs = performance.now() - t0
    const list = [...byOp].map(([name, e]) => ({name, ...e})).sort((a, b) => b.ms - a.ms)
    return {result, profile: {ops: list.reduce((s, e) => s + e.count, 0), uploads, opMs, totalMs, byOp: list}}
  } finally {
    backend.binding = binding
  }
}

/** Median cost of one tiny op (scalar add) in microseconds: the per-op floor of this backend. */
export function perOpOverheadUs(reps = 2000): number {
  const a = tf.scalar(1)
  const b = tf.scalar(2)
  const times: number[] = []
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now()
    for (let i = 0; i < reps / 5; i++) tf.add(a, b).dispose()
    times.push(((performance.now() - t0) * 1000) / (reps / 5))
  }
  a.dispose()
  b.dispose()
  return times.sort((x, y) => x - y)[2]
}
