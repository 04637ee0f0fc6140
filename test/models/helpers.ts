// Shared fixtures for the models tests (not a test file itself).
import * as tf from '@tensorflow/tfjs-core'
import type {NetSpec} from '../../src/models/index.js'

export const TINY: Omit<NetSpec, 'config'> = {widthFactor: 1 / 16, fcWidth: 32, numClasses: 10, crop: 32}

/** Deterministic pseudo-image batch, roughly mean-subtracted pixel range. */
export function images(n: number, h: number, w: number, seed = 1): tf.Tensor4D {
  const data = new Float32Array(n * h * w * 3)
  let s = seed >>> 0
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    data[i] = (s / 0x100000000) * 255 - 127.5
  }
  return tf.tensor4d(data, [n, h, w, 3])
}

export function maxAbs(a: Float32Array): number {
  let m = 0
  for (const v of a) m = Math.max(m, Math.abs(v))
  return m
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]))
  return m
}
