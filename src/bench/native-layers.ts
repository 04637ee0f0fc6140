// Experiment (bench --experiment native-layers): VGG's two hot layers with hand-written
// gradients, proposed for src/models (the native calls would live in src/backend).
//
// convBiasRelu: tf.fused.conv2d's gradient is dy * step(y) (three to six ops over
// the activation), sum() for the bias and a reshape. Here: Conv2D + BiasAdd + Relu
// forward, and ReluGrad + BiasAddGrad + the two conv backprops backward: one pass
// each, same values.
//
// maxPool2x2: TF's CPU MaxPoolGrad re-derives the argmax slowly (13 ms for the first
// subset layer, 5x the forward pool). For 2x2/2 windows the gradient is dy routed to
// the positions equal to the window max: equal + cast + mul on a 5-D view (~2.5x
// faster). It differs from MaxPoolGrad only for ties inside a window, where every
// tied position gets dy: in VGG the pool input is a ReLU output, so ties are zeros
// and the ReLU gradient zeroes them again; ties between positive floats are
// vanishingly rare.
import * as tf from '@tensorflow/tfjs-core'

interface NativeBackend {
  binding: {TF_ATTR_TYPE: number; TF_ATTR_STRING: number; TF_FLOAT: number}
  executeSingleOutput(name: string, attrs: unknown[], inputs: tf.TensorInfo[]): tf.Tensor
}

function native(): NativeBackend | undefined {
  const b = tf.backend() as unknown as Partial<NativeBackend>
  return tf.getBackend() === 'tensorflow' && typeof b.executeSingleOutput === 'function' ? (b as NativeBackend) : undefined
}

function nativeOp(b: NativeBackend, name: string, inputs: tf.Tensor[], nhwc: boolean): tf.Tensor {
  const attrs: unknown[] = [{name: 'T', type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT}]
  if (nhwc) attrs.push({name: 'data_format', type: b.binding.TF_ATTR_STRING, value: 'NHWC'})
  return b.executeSingleOutput(name, attrs, inputs)
}

type GradThunks = Record<string, () => tf.Tensor>

interface KernelFuncRunner {
  runKernelFunc(params: {
    forwardFunc: (backend: unknown, save: tf.GradSaveFunc) => tf.Tensor
    backwardsFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => GradThunks
    inputs: Record<string, tf.Tensor>
  }): tf.Tensor
}

/**
 * An op with a hand-written gradient whose input gradients are computed only when
 * asked for (tf.customGrad computes all eagerly: for the first conv that is a wasted
 * backprop to the image). Uses the engine's runKernelFunc, which tf.customGrad wraps.
 */
function gradOp(inputs: Record<string, tf.Tensor>, forward: (save: tf.GradSaveFunc) => tf.Tensor, backward: (dy: tf.Tensor, saved: tf.Tensor[]) => GradThunks): tf.Tensor {
  const engine = tf.engine() as unknown as Partial<KernelFuncRunner>
  if (typeof engine.runKernelFunc !== 'function') throw new Error('this tfjs-core has no engine.runKernelFunc')
  return engine.runKernelFunc.call(tf.engine(), {forwardFunc: (_b, save) => forward(save), backwardsFunc: backward, inputs})
}

/** relu(conv2d(x, filter, stride 1, SAME) + bias), NHWC. */
export function convBiasRelu(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D): tf.Tensor4D {
  return gradOp(
    {x, filter, bias},
    (save) => {
      const b = native()
      const conv = tf.conv2d(x, filter, 1, 'same')
      const biased = b !== undefined ? nativeOp(b, 'BiasAdd', [conv, bias], true) : tf.add(conv, bias)
      const y = tf.relu(biased)
      // Saved (kept clones), not closed over: callers may tidy the forward activations away.
      save([x, filter, y])
      return y
    },
    (dy, saved) => {
      const [sx, sf, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D]
      const n = native()
      // Computed here, not in a thunk: the thunks run in separate tidy scopes.
      const dyA = n !== undefined ? nativeOp(n, 'ReluGrad', [dy, y], false) : tf.mul(dy, tf.step(y))
      const common = {strides: 1, pad: 'same', dataFormat: 'NHWC'}
      return {
        x: () => tf.engine().runKernel('Conv2DBackpropInput', {dy: dyA, filter: sf}, {...common, inputShape: sx.shape}) as tf.Tensor,
        filter: () => tf.engine().runKernel('Conv2DBackpropFilter', {x: sx, dy: dyA}, {...common, filterShape: sf.shape}) as tf.Tensor,
        bias: () => (n !== undefined ? nativeOp(n, 'BiasAddGrad', [dyA], true) : tf.sum(dyA, [0, 1, 2])),
      }
    },
  ) as tf.Tensor4D
}

/** 2x2 max-pool, stride 2, VALID, NHWC (even H and W). */
export function maxPool2x2(x: tf.Tensor4D): tf.Tensor4D {
  // Odd sides (dense evaluation of arbitrary sizes) never need a gradient here.
  if (x.shape[1] % 2 !== 0 || x.shape[2] % 2 !== 0) return tf.maxPool(x, 2, 2, 'valid')
  return gradOp(
    {x},
    (save) => {
      const y = tf.maxPool(x, 2, 2, 'valid')
      save([x, y])
      return y
    },
    (dy, saved) => ({
      x: () => {
        const [sx, sy] = saved
        const [n, h, w, c] = sx.shape
        // 5-D views (TF broadcasts up to 5 dims): [n*h/2, 2, w/2, 2, c] against [n*h/2, 1, w/2, 1, c].
        const x5 = tf.reshape(sx, [(n * h) / 2, 2, w / 2, 2, c])
        const y5 = tf.reshape(sy, [(n * h) / 2, 1, w / 2, 1, c])
        const d5 = tf.reshape(dy, [(n * h) / 2, 1, w / 2, 1, c])
        return tf.reshape(tf.mul(tf.cast(tf.equal(x5, y5), 'float32'), d5), [n, h, w, c])
      },
    }),
  ) as tf.Tensor4D
}
