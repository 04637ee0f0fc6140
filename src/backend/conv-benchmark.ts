// A measured figure for `doctor`: GFLOP/s of one 3x3 convolution forward +
// backward (input and filter gradients) at a VGG-like size.
import * as tf from '@tensorflow/tfjs-core'

export interface ConvBenchmark {
  gflops: number
  /** false when the backend cannot compute conv gradients (wasm): forward only */
  backward: boolean
  shape: {batch: number; size: number; channels: number}
  msPerStep: number
  steps: number
}

/** Median of `steps` timed steps after one warm-up; reads back one scalar per step. */
export function measureConvGflops(batch = 16, size = 56, channels = 128, steps = 5, backward = true): ConvBenchmark {
  const x = tf.randomNormal([batch, size, size, channels]) as tf.Tensor4D
  const w = tf.randomNormal([3, 3, channels, channels], 0, 0.05) as tf.Tensor4D
  const lossAndGrads = tf.grads((input: tf.Tensor, filter: tf.Tensor) =>
    tf.mean(tf.square(tf.conv2d(input as tf.Tensor4D, filter as tf.Tensor4D, 1, 'same'))),
  )
  const step = () => {
    tf.tidy(() => {
      if (!backward) return tf.sum(tf.conv2d(x, w, 1, 'same')).dataSync()
      const [dx, dw] = lossAndGrads([x, w])
      tf.add(tf.sum(dx), tf.sum(dw)).dataSync()
    })
  }
  try {
    step()
  } catch (error) {
    x.dispose()
    w.dispose()
    throw error
  }
  const times: number[] = []
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now()
    step()
    times.push(performance.now() - t0)
  }
  x.dispose()
  w.dispose()
  times.sort((a, b) => a - b)
  const ms = times[Math.floor(times.length / 2)]
  const forwardFlops = 2 * batch * size * size * channels * channels * 9
  // forward + input gradient + filter gradient: each the same multiply-adds
  const flops = backward ? forwardFlops * 3 : forwardFlops
  return {gflops: flops / (ms / 1000) / 1e9, backward, shape: {batch, size, channels}, msPerStep: ms, steps}
}
