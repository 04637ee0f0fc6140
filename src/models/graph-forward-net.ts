// Evaluation's forward passes (logits of crops, dense score maps) as TensorFlow
// graph runs on the native backend: ~1.5x faster than the eager ops at the subset's
// widths (bench: eval images/s), same values to float rounding
// (test/models/graph-forward.test.ts). The weights are fed from the net's variables
// on every call, so the wrapper always sees the net's current weights.
import type * as tf from '@tensorflow/tfjs-core'
import {GraphBuilder, type ComputeDtype, type GraphSpec} from '../backend/graph-builder.js'
import {GraphSession, graphSessionsAvailable} from '../backend/graph-session.js'
import {addForward} from './forward-graph.js'
import {planNet, variableShapes, type NetPlan} from './plan.js'
import type {NetSpec} from './types.js'
import type {ForwardOptions, VggNet} from './vgg-net.js'

const weightFeed = (name: string) => `w/${name}`
const INPUT = 'x'
const OUTPUT = 'out'

/** The forward of `plan` with every variable a placeholder (`w/<name>`): [N,H,W,3] `x` -> float32 logits or score map `out`. */
export function forwardGraph(plan: NetPlan, mode: 'logits' | 'dense', dtype: ComputeDtype = 'float32'): GraphSpec {
  const g = new GraphBuilder()
  const side = mode === 'logits' ? plan.spec.crop : -1
  const input = g.placeholder(INPUT, 'float32', [-1, side, side, 3])
  for (const [name, shape] of variableShapes(plan)) g.placeholder(weightFeed(name), 'float32', shape)
  const forward = addForward(g, plan, input, {mode, weight: weightFeed, dtype})
  g.add('Identity', [forward.output], {T: {type: 'float32'}}, OUTPUT)
  return g.build()
}

export class GraphForwardNet {
  readonly spec: NetSpec
  private readonly plan: NetPlan
  private readonly sessions = new Map<'logits' | 'dense', GraphSession>()

  constructor(
    private readonly net: VggNet,
    private readonly dtype: ComputeDtype = 'float32',
  ) {
    this.spec = net.spec
    this.plan = planNet(net.spec)
  }

  logits(x: tf.Tensor4D, opts: ForwardOptions): tf.Tensor2D {
    // training mode (dropout) stays eager: the trainer has its own graph
    if (opts.training) return this.net.logits(x, opts)
    return this.run('logits', x) as tf.Tensor2D
  }

  denseScoreMap(x: tf.Tensor4D): tf.Tensor4D {
    return this.run('dense', x) as tf.Tensor4D
  }

  private run(mode: 'logits' | 'dense', x: tf.Tensor4D): tf.Tensor {
    let session = this.sessions.get(mode)
    if (session === undefined) this.sessions.set(mode, (session = new GraphSession(forwardGraph(this.plan, mode, this.dtype))))
    const feeds: [string, tf.Tensor][] = [[INPUT, x]]
    for (const [name, v] of this.net.variables) feeds.push([weightFeed(name), v])
    return session.run(feeds, [OUTPUT])[0]
  }

  /** Closes the sessions; the wrapped net stays the caller's to dispose. */
  dispose(): void {
    for (const s of this.sessions.values()) s.dispose()
    this.sessions.clear()
  }
}

/** What fastForward returns: the net's inference calls, plus dispose for the sessions. */
export type ForwardNet = Pick<VggNet, 'spec' | 'logits' | 'denseScoreMap'> & {dispose(): void}

/**
 * A graph-run view of `net` on the native backend, computing in `dtype`, else the net
 * itself (eager ops, always float32; dispose is then a no-op).
 */
export function fastForward(net: VggNet, dtype: ComputeDtype = 'float32'): ForwardNet {
  if (graphSessionsAvailable()) return new GraphForwardNet(net, dtype)
  return {spec: net.spec, logits: (x, o) => net.logits(x, o), denseScoreMap: (x) => net.denseScoreMap(x), dispose: () => {}}
}
