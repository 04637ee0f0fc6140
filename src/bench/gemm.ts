// The machine's float32 matrix rate, the yardstick for "fraction of the machine":
// numpy's 2048 x 2048 matmul (BLAS) when python3 has numpy, else tfjs matMul on our backend.
import * as tf from '@tensorflow/tfjs-core'
import {benchScript, lastJsonLine, runPython} from './python.js'
import {median} from './stats.js'

export interface GemmRate {
  gflops: number
  /** what was measured, e.g. "numpy 2.4.6 matmul 2048x2048 float32, median of 10" */
  source: string
  engine: 'numpy' | 'tfjs'
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
