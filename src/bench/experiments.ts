// Opt-in speed experiments for `bench --experiment NAME`: each one installs a
// proposed change for the duration of the process so its effect can be measured
// against the committed code before anyone adopts it.
import * as tf from '@tensorflow/tfjs-core'
import {lrn} from '../models/lrn.js'
import {VggNet} from '../models/vgg-net.js'
import {installFastStep} from './fast-step.js'
import {convBiasRelu, maxPool2x2} from './native-layers.js'

export const EXPERIMENTS = ['fast-step', 'native-layers'] as const
export type ExperimentName = (typeof EXPERIMENTS)[number]

interface TrunkInternals {
  convSteps: {layer: {lrnAfter: boolean; poolAfter: boolean}; kernel: tf.Variable<tf.Rank.R4>; bias: tf.Variable<tf.Rank.R1>}[]
}

/** VggNet's private trunk, rebuilt on convBiasRelu and maxPool2x2 (the proposed models change). */
function installNativeLayers(): void {
  const proto = VggNet.prototype as unknown as {trunk(x: tf.Tensor4D): tf.Tensor4D}
  proto.trunk = function (this: TrunkInternals, x: tf.Tensor4D): tf.Tensor4D {
    let h = x
    for (const {layer, kernel, bias} of this.convSteps) {
      h = convBiasRelu(h, kernel, bias)
      if (layer.lrnAfter) h = lrn(h)
      if (layer.poolAfter) h = maxPool2x2(h)
    }
    return h
  }
}

/** Install the named experiments; returns those that took effect. */
export function installExperiments(names: readonly string[]): string[] {
  const done: string[] = []
  for (const name of names) {
    if (name === 'fast-step' && installFastStep()) done.push(name)
    if (name === 'native-layers') {
      installNativeLayers()
      done.push(name)
    }
  }
  return done
}
