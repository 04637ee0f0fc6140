// A cheaper Step kernel for the native backend, installed by initBackend (measured
// by `vgg-repro bench`: training A 367 -> 449, E 185 -> 236 img/s; see results/bench.md).
// tfjs-core's ReLU gradients (tf.relu, tf.fused conv2d / matMul with 'relu') are
// dy * step(y). tfjs-node 4.22's Step runs IsNan, Greater, Fill, Fill, Select, Select
// over the whole activation (plus two uploads); for alpha = 0 on float32,
// step(x) = sign(relu(x)) is two ops with the same values for finite x (a NaN input
// may give 0 instead of NaN: only after divergence, which the trainer's NaN check catches).
// VGG_REPRO_STOCK_STEP=1 keeps tfjs-node's own kernel.
import * as tf from '@tensorflow/tfjs-core'

interface NativeBackend {
  binding: {TF_ATTR_TYPE: number; TF_FLOAT: number}
  executeSingleOutput(name: string, attrs: unknown[], inputs: tf.TensorInfo[]): tf.Tensor
}

let installed: tf.KernelConfig | undefined

/** Replace Step on the 'tensorflow' backend; returns false when that backend is not in use. */
export function installFastStep(): boolean {
  if (tf.getBackend() !== 'tensorflow' || installed !== undefined) return installed !== undefined
  const original = tf.getKernel('Step', 'tensorflow')
  if (original === undefined) return false
  tf.unregisterKernel('Step', 'tensorflow')
  tf.registerKernel({
    kernelName: 'Step',
    backendName: 'tensorflow',
    kernelFunc: (args) => {
      const x = (args.inputs as {x: tf.TensorInfo}).x
      const alpha = (args.attrs as {alpha?: number} | undefined)?.alpha ?? 0
      if (alpha !== 0 || x.dtype !== 'float32') return original.kernelFunc(args)
      const backend = args.backend as unknown as NativeBackend
      const attrs = [{name: 'T', type: backend.binding.TF_ATTR_TYPE, value: backend.binding.TF_FLOAT}]
      const relu = backend.executeSingleOutput('Relu', attrs, [x])
      const sign = backend.executeSingleOutput('Sign', attrs, [relu])
      relu.dispose()
      return sign
    },
  })
  installed = original
  return true
}

/** Put the original kernel back (tests). */
export function uninstallFastStep(): void {
  if (installed === undefined) return
  tf.unregisterKernel('Step', 'tensorflow')
  tf.registerKernel(installed)
  installed = undefined
}
