// Which engine runs the trainer's optimizer steps: the graph engine (graph-step.ts)
// on the native backend, the eager one (eager-step.ts) elsewhere. Both do the same
// arithmetic (test/train/graph-step.test.ts). VGG_REPRO_EAGER_STEP=1 forces eager on
// the native backend (graphSessionsAvailable() reads it). Only the graph engine computes
// in bfloat16 (opts.dtype); the eager step is always float32 (its callers say so).
import type {ComputeDtype} from '../backend/graph-builder.js'
import {graphSessionsAvailable} from '../backend/graph-session.js'
import {EagerStep} from './eager-step.js'
import {GraphStep} from './graph-step.js'
import type {SgdMomentum} from './sgd-momentum.js'
import type {StepEngine, TrainableNet} from './types.js'

export type {StepEngine}

export function createStepEngine(
  net: TrainableNet,
  sgd: SgdMomentum,
  opts: {momentum: number; weightDecay: number; dropout: number; engine?: 'graph' | 'eager'; dtype?: ComputeDtype},
): StepEngine {
  const wanted = opts.engine ?? (graphSessionsAvailable() ? 'graph' : 'eager')
  return wanted === 'graph' ? new GraphStep(net, sgd, opts) : new EagerStep(net, sgd)
}
