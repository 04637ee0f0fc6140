// The graph step engine: the training step run as one TensorFlow session per net (train-graph.ts):
// weights and momentum are copied into the session when it opens and copied back
// into the net and the optimizer by sync(), before every validation and checkpoint.
// Measured by `vgg-repro bench`: x1.7-2.2 over the eager step at the subset size.
import * as tf from '@tensorflow/tfjs-core'
import type {ComputeDtype} from '../backend/graph-builder.js'
import {GraphSession} from '../backend/graph-session.js'
import {dropoutMask} from '../models/layers/dropout.js'
import {layersOf, planNet} from '../models/plan.js'
import type {SgdMomentum} from './sgd-momentum.js'
import type {StepEngine, TrainableNet} from './types.js'
import {
  ASSIGN_FETCH,
  STATS_FETCH,
  TRAIN_GRAPH_FEEDS,
  assignMomentumFeed,
  assignWeightFeed,
  buildTrainGraph,
  maskFeed,
  readMomentum,
  readWeight,
} from './train-graph.js'

export class GraphStep implements StepEngine {
  readonly kind = 'graph'
  private readonly session: GraphSession
  private readonly names: string[]
  private readonly dropoutLayers: {name: string; width: number}[]
  /** steps ran since the last sync: the session's values differ from the net's */
  private unsynced = false

  constructor(
    private readonly net: TrainableNet,
    private readonly sgd: SgdMomentum,
    opts: {momentum: number; weightDecay: number; dropout: number; dtype?: ComputeDtype},
  ) {
    const plan = planNet(net.spec)
    const dropout = opts.dropout > 0
    this.session = new GraphSession(buildTrainGraph(plan, {momentum: opts.momentum, weightDecay: opts.weightDecay, dropout, dtype: opts.dtype}))
    this.names = [...net.variables.keys()]
    this.dropoutLayers = dropout ? layersOf(plan, 'dropout').map((l) => ({name: l.stream, width: l.width})) : []
    try {
      this.load()
    } catch (error) {
      this.session.dispose()
      throw error
    }
  }

  /** Copy the net's weights and the optimizer's momentum into the session. */
  private load(): void {
    const momentum = this.sgd.getState()
    tf.tidy(() => {
      const feeds: [string, tf.Tensor][] = []
      for (const name of this.names) {
        const m = momentum.get(name)!
        feeds.push([assignWeightFeed(name), this.net.variables.get(name)!], [assignMomentumFeed(name), tf.tensor(m.data, m.shape, 'float32')])
      }
      this.session.run(feeds, [ASSIGN_FETCH])
    })
  }

  step(images: tf.Tensor4D, labels: tf.Tensor1D, lr: tf.Scalar, dropoutSeed: number, dropoutRate: number): tf.Tensor1D {
    this.unsynced = true
    return tf.tidy(() => {
      const feeds: [string, tf.Tensor][] = [
        [TRAIN_GRAPH_FEEDS.images, images],
        [TRAIN_GRAPH_FEEDS.labels, labels],
        [TRAIN_GRAPH_FEEDS.lr, lr],
      ]
      const n = labels.shape[0]
      // the eager step's masks: same (seed, layer) streams, so both engines see the same dropout
      for (const {name, width} of this.dropoutLayers) feeds.push([maskFeed(name), dropoutMask([n, width], dropoutRate, dropoutSeed, name)])
      return this.session.run(feeds, [STATS_FETCH])[0] as tf.Tensor1D
    })
  }

  /** Copy weights and momentum from the session back into the net and the optimizer. */
  sync(): void {
    if (!this.unsynced) return
    const fetched = this.session.run([], [...this.names.map(readWeight), ...this.names.map(readMomentum)])
    try {
      const k = this.names.length
      const host = (t: tf.Tensor) => ({shape: [...t.shape], data: (t.dataSync() as Float32Array).slice()})
      this.net.setWeights(new Map(this.names.map((name, i) => [name, host(fetched[i])])))
      this.sgd.setState(new Map(this.names.map((name, i) => [name, host(fetched[k + i])])))
      this.unsynced = false
    } finally {
      for (const t of fetched) t.dispose()
    }
  }

  dispose(): void {
    this.session.dispose()
  }
}
