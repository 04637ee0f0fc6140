// The machine's matrix rates, the yardsticks for "fraction of the machine": float32 from
// numpy's 2048 x 2048 matmul (BLAS) when python3 has numpy, else tfjs matMul on our
// backend; bfloat16 from PyTorch's matmul (oneDNN) when the PyTorch reference runs, else
// a bfloat16 MatMul graph on our native backend.
import * as tf from '@tensorflow/tfjs-core'
import {GraphBuilder} from '../backend/graph-builder.js'
import {GraphSession, graphSessionsAvailable} from '../backend/graph-session.js'
import {benchScript, lastJsonLine, runPython} from './python.js'
import {median} from './stats.js'

export interface GemmRate {
  gflops: number
  /** what was measured, e.g. "numpy 2.4.6 matmul 2048x2048 float32, median of 10" */
  source: string
  engine: 'numpy' | 'tfjs' | 'torch'
}

export async function machineGemm(n = 2048, reps = 10): Promise<GemmRate> {
  const r = await runPython([benchScript('gemm.py'), String(n), String(reps)])
  const out = lastJsonLine(r.stdout)
  if (r.code === 0 && out?.ok === true) {
    return {gflops: Number(out.gflops), source: `numpy ${String(out.numpy)} matmul ${n}x${n} float32, median of ${reps}`, engine: 'numpy'}
  }
  return tfjsGemm(n, reps)
}

/** Fallback when numpy is missing: the same product through our backend. */
export function tfjsGemm(n = 2048, reps = 10): GemmRate {
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1) as tf.Tensor2D
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2) as tf.Tensor2D
  const times: number[] = []
  for (let i = 0; i < reps + 2; i++) {
    const t0 = performance.now()
    const c = tf.matMul(a, b)
    const corner = tf.slice(c, [0, 0], [1, 1])
    corner.dataSync() // a 4-byte read fences execution; a full read would time the copy
    const t = performance.now() - t0
    corner.dispose()
    c.dispose()
    if (i >= 2) times.push(t)
  }
  a.dispose()
  b.dispose()
  const ms = median(times)
  return {gflops: (2 * n ** 3) / (ms / 1000) / 1e9, source: `tfjs matMul ${n}x${n} float32 on the ${tf.getBackend()} backend, median of ${reps} (numpy unavailable)`, engine: 'tfjs'}
}

/** The bfloat16 rate: `torchGemm` (PyTorch's) when given, else a MatMul graph on native TensorFlow; null elsewhere. */
export async function machineGemmBf16(torchGemm?: (n: number, reps: number) => Promise<{gflops: number; source: string}>, n = 2048, reps = 10): Promise<GemmRate | null> {
  if (torchGemm !== undefined) {
    try {
      const r = await torchGemm(n, reps)
      return {...r, engine: 'torch'}
    } catch {
      // fall back to our backend
    }
  }
  if (!graphSessionsAvailable()) return null
  const g = new GraphBuilder()
  const cast = (x: string) => g.add('Cast', [x], {SrcT: {type: 'float32'}, DstT: {type: 'bfloat16'}})
  const a = cast(g.placeholder('a', 'float32', [n, n]))
  const b = cast(g.placeholder('b', 'float32', [n, n]))
  const c = g.add('MatMul', [a, b], {transpose_a: {b: false}, transpose_b: {b: false}, T: {type: 'bfloat16'}})
  // a one-element read fences execution without timing a large copy; cast back to float32
  // because the binding cannot hand a bfloat16 tensor to JavaScript ("Unknown dtype enum 14")
  const corner = g.add('Slice', [c, g.intConst([0, 0]), g.intConst([1, 1])], {T: {type: 'bfloat16'}, Index: {type: 'int32'}})
  g.add('Cast', [corner], {SrcT: {type: 'bfloat16'}, DstT: {type: 'float32'}}, 'corner')
  const session = new GraphSession(g.build())
  const x = tf.randomNormal([n, n], 0, 1, 'float32', 1)
  const y = tf.randomNormal([n, n], 0, 1, 'float32', 2)
  const times: number[] = []
  try {
    for (let i = 0; i < reps + 2; i++) {
      const t0 = performance.now()
      const [corner] = session.run([['a', x], ['b', y]], ['corner'])
      corner.dispose()
      if (i >= 2) times.push(performance.now() - t0)
    }
  } finally {
    session.dispose()
    x.dispose()
    y.dispose()
  }
  const ms = median(times)
  return {gflops: (2 * n ** 3) / (ms / 1000) / 1e9, source: `TensorFlow MatMul ${n}x${n} bfloat16 (graph on our backend), median of ${reps}`, engine: 'tfjs'}
}
