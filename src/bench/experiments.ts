// Opt-in speed experiments for `bench --experiment NAME` and `bench --ab NAME`: each
// installs a proposed change for the process (and can be removed again), so its
// effect is measured against the committed code before anyone adopts it.
import * as tf from '@tensorflow/tfjs-core'
import {lrn} from '../models/lrn.js'
import {VggNet} from '../models/vgg-net.js'
import {installFastStep, uninstallFastStep} from '../backend/fast-step.js'
import {convBiasRelu, maxPool2x2} from './native-layers.js'

export const EXPERIMENTS = ['fast-step', 'stock-step', 'native-layers'] as const
export type ExperimentName = (typeof EXPERIMENTS)[number]

interface TrunkInternals {
  convSteps: {layer: {lrnAfter: boolean; poolAfter: boolean}; kernel: tf.Variable<tf.Rank.R4>; bias: tf.Variable<tf.Rank.R1>}[]
}

type Trunk = (x: tf.Tensor4D) => tf.Tensor4D
const proto = VggNet.prototype as unknown as {trunk: Trunk}
const originalTrunk = proto.trunk

/** VggNet's private trunk rebuilt on convBiasRelu and maxPool2x2 (the proposed models change). */
const nativeTrunk = function (this: TrunkInternals, x: tf.Tensor4D): tf.Tensor4D {
  let h = x
  for (const {layer, kernel, bias} of this.convSteps) {
    h = convBiasRelu(h, kernel, bias)
    if (layer.lrnAfter) h = lrn(h)
    if (layer.poolAfter) h = maxPool2x2(h)
  }
  return h
}

/** Make exactly `names` active (others removed); returns those in effect. */
export function setExperiments(names: readonly string[]): string[] {
  const done: string[] = []
  // The fast Step kernel is part of the committed code now (initBackend installs it);
  // 'stock-step' measures tfjs-node's own kernel for comparison.
  if (names.includes('stock-step')) {
    uninstallFastStep()
    done.push('stock-step')
  } else if (installFastStep() && names.includes('fast-step')) {
    done.push('fast-step')
  }
  if (names.includes('native-layers')) {
    proto.trunk = nativeTrunk as unknown as Trunk
    done.push('native-layers')
  } else {
    proto.trunk = originalTrunk
  }
  return done
}
