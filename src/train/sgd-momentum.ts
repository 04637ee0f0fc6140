// SGD with momentum and L2 weight decay on kernels only, as in the paper [3.1]
// (Caffe's form: v = mu*v - lr*(g + wd*w); w = w + v). The momentum buffers are
// variables we own, so their state can be checkpointed and restored exactly.
import * as tf from '@tensorflow/tfjs-core'
import type {WeightMap} from '../models/types.js'

export interface SgdOptions {
  momentum: number
  weightDecay: number
}

export class SgdMomentum {
  private readonly buffers = new Map<string, tf.Variable>()
  private readonly mu: tf.Scalar
  private readonly wd: tf.Scalar

  constructor(
    private readonly vars: Map<string, tf.Variable>,
    private readonly isWeight: (name: string) => boolean,
    opts: SgdOptions,
  ) {
    this.mu = tf.scalar(opts.momentum)
    this.wd = tf.scalar(opts.weightDecay)
    for (const [name, v] of vars) {
      const zeros = tf.zerosLike(v)
      this.buffers.set(name, tf.variable(zeros, false))
      zeros.dispose() // the variable holds its own reference
    }
  }

  /**
   * Update every variable from its gradient. `grads` is keyed by the net's names;
   * a variable without a gradient keeps decaying its momentum (it still moves).
   */
  apply(grads: Map<string, tf.Tensor>, lr: tf.Scalar): void {
    tf.tidy(() => {
      for (const [name, w] of this.vars) {
        const v = this.buffers.get(name)!
        let g = grads.get(name) ?? tf.zerosLike(w)
        if (this.isWeight(name)) g = tf.add(g, tf.mul(w, this.wd))
        const vNew = tf.sub(tf.mul(v, this.mu), tf.mul(g, lr))
        v.assign(vNew)
        w.assign(tf.add(w, vNew))
      }
    })
  }

  /** Host copy of the momentum buffers, in the net's variable order. */
  getState(): WeightMap {
    const out: WeightMap = new Map()
    for (const [name, v] of this.buffers) out.set(name, {shape: [...v.shape], data: v.dataSync() as Float32Array})
    return out
  }

  /** Restore buffers saved by getState (shapes must match). */
  setState(state: WeightMap): void {
    for (const [name, v] of this.buffers) {
      const s = state.get(name)
      if (s === undefined) throw new Error(`momentum state has no buffer for ${name}`)
      if (s.shape.join('x') !== v.shape.join('x')) throw new Error(`momentum ${name}: shape ${s.shape} != ${v.shape}`)
      tf.tidy(() => v.assign(tf.tensor(s.data, s.shape, 'float32')))
    }
  }

  dispose(): void {
    for (const v of this.buffers.values()) v.dispose()
    this.buffers.clear()
    this.mu.dispose()
    this.wd.dispose()
  }
}
