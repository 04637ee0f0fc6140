// Every layer kind's hand-written graph backward (what the training graph runs)
// against tfjs autodiff of the same kind's eager forward: for a random input x,
// weights and upstream gradient dy, the graph's dx and weight gradients must equal
// the gradients of sum(eager(x) * dy). The forward outputs must agree too.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import * as tf from '@tensorflow/tfjs-core'
import {initBackend} from '../../src/backend/backend.js'
import {GraphBuilder} from '../../src/backend/graph-builder.js'
import {GraphSession, graphSessionsAvailable} from '../../src/backend/graph-session.js'
import {dropoutMask} from '../../src/models/layers/dropout.js'
import {layerKind, type EagerContext, type Layer} from '../../src/models/layers/index.js'

// before describe(): the skip condition needs the chosen backend
await initBackend()

const T = {T: {type: 'float32' as const}}
const RATE = 0.5
const SEED = 17

interface Case {
  title: string
  layer: Layer
  /** input shape (the output shape comes from the eager forward) */
  input: number[]
  /** input values in [-scale, scale] (default 1) */
  scale?: number
}

const CASES: Case[] = [
  {title: 'conv 3x3 + bias + ReLU', layer: {kind: 'conv', name: 'conv2_1', kernelShape: [3, 3, 3, 5], inputSide: 6}, input: [2, 6, 6, 3]},
  {title: 'conv 1x1 + bias + ReLU', layer: {kind: 'conv', name: 'conv3_3', kernelShape: [1, 1, 4, 3], inputSide: 4}, input: [2, 4, 4, 4]},
  // activations of this size make the normalisation term (alpha * sum x^2 ~ 2..10) matter
  {title: 'LRN', layer: {kind: 'lrn', name: 'lrn1_1', channels: 7}, input: [2, 3, 3, 7], scale: 150},
  {title: '2x2 max-pool', layer: {kind: 'pool', name: 'pool1'}, input: [2, 6, 4, 3]},
  {
    title: 'fc6: flattens a 2x2 map, + bias + ReLU',
    layer: {kind: 'fc', name: 'fc6', kernelShape: [2 * 2 * 3, 6], relu: true, inputSide: 2, flattenInput: true},
    input: [3, 2, 2, 3],
  },
  {title: 'fc8: + bias, no ReLU', layer: {kind: 'fc', name: 'fc8', kernelShape: [6, 4], relu: false, inputSide: 1, flattenInput: false}, input: [3, 6]},
  {title: 'dropout', layer: {kind: 'dropout', name: 'drop6', stream: 'fc6', width: 8}, input: [5, 8]},
]

function random(shape: number[], seed: number, scale = 1): tf.Tensor {
  // centred values: ReLU and max-pool see both signs and no ties
  return tf.randomUniform(shape, -scale, scale, 'float32', seed)
}

/** max |a - b| relative to the largest |b| (at least 1) */
function relDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1, tf.max(tf.abs(b)).dataSync()[0]))
}

describe('layer gradients: graph backward vs tfjs autodiff (native TensorFlow)', {skip: !graphSessionsAvailable() && 'needs the native backend'}, () => {
  for (const c of CASES) {
    it(c.title, () => {
      const kind = layerKind(c.layer)
      const vars = kind.variables(c.layer)
      const x = random(c.input, 1, c.scale)
      const weights = vars.map(([, shape], i) => random(shape, 10 + i))
      const mask = c.layer.kind === 'dropout' ? dropoutMask(c.input as [number, number], RATE, SEED, c.layer.stream) : undefined
      const eagerCtx = (values: tf.Tensor[]): EagerContext => ({
        mode: 'logits',
        weight: (name) => values[vars.findIndex(([n]) => n === name)],
        denseFilter: () => assert.fail('not in logits mode'),
        training: true,
        dropoutSeed: SEED,
        dropoutRate: RATE,
      })

      // eager forward and autodiff of sum(forward * dy)
      const out = kind.eager(c.layer, x, eagerCtx(weights))
      const dy = random(out.shape, 99)
      const grads = tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(kind.eager(c.layer, args[0], eagerCtx(args.slice(1))), dy)) as tf.Scalar)([x, ...weights])

      // the same layer in a graph: placeholders for x, weights, mask and dy
      const g = new GraphBuilder()
      const xNode = g.placeholder('x', 'float32', c.input)
      vars.forEach(([name, shape]) => g.placeholder(`w/${name}`, 'float32', shape))
      const maskNode = mask !== undefined ? g.placeholder('mask', 'float32', c.input) : undefined
      const dyNode = g.placeholder('dy', 'float32', out.shape)
      const weight = (name: string) => `w/${name}`
      const fwd = kind.graphForward(c.layer, xNode, {g, mode: 'logits', weight, mask: maskNode !== undefined ? () => maskNode : undefined, dtype: 'float32'})
      const back = kind.graphBackward(c.layer, dyNode, fwd.trace, {g, weight, needInputGrad: true, dtype: 'float32'})
      assert.deepEqual(back.grads.map(([name]) => name), vars.map(([name]) => name), 'a gradient for every variable, in order')
      g.add('Identity', [fwd.out], T, 'out')
      g.add('Identity', [back.dx!], T, 'dx')
      back.grads.forEach(([, node], i) => g.add('Identity', [node], T, `grad${i}`))
      const session = new GraphSession(g.build())
      const feeds: [string, tf.Tensor][] = [['x', x], ['dy', dy], ...vars.map(([name], i): [string, tf.Tensor] => [`w/${name}`, weights[i]])]
      if (mask !== undefined) feeds.push(['mask', mask])
      const [gOut, gDx, ...gGrads] = session.run(feeds, ['out', 'dx', ...vars.map((_, i) => `grad${i}`)])
      session.dispose()

      assert.deepEqual(gOut.shape, out.shape)
      assert.ok(relDiff(gOut, out) < 1e-5, `forward differs by ${relDiff(gOut, out)}`)
      assert.deepEqual(gDx.shape, x.shape)
      assert.ok(relDiff(gDx, grads[0]) < 1e-5, `dx differs by ${relDiff(gDx, grads[0])}`)
      assert.ok(tf.tidy(() => tf.max(tf.abs(grads[0])).dataSync()[0]) > 0, 'the input gradient is not all zero')
      gGrads.forEach((gg, i) => {
        assert.deepEqual(gg.shape, grads[i + 1].shape)
        assert.ok(relDiff(gg, grads[i + 1]) < 1e-5, `${vars[i][0]}: gradient differs by ${relDiff(gg, grads[i + 1])}`)
      })
      tf.dispose([x, ...weights, out, dy, ...grads, gOut, gDx, ...gGrads, ...(mask !== undefined ? [mask] : [])])
    })
  }

  it('the first layer leaves out the gradient w.r.t. the images', () => {
    const layer: Layer = {kind: 'conv', name: 'conv1_1', kernelShape: [3, 3, 3, 2], inputSide: 4}
    const g = new GraphBuilder()
    const x = g.placeholder('x', 'float32', [1, 4, 4, 3])
    g.placeholder('w/conv1_1/kernel', 'float32', [3, 3, 3, 2])
    g.placeholder('w/conv1_1/bias', 'float32', [2])
    const dy = g.placeholder('dy', 'float32', [1, 4, 4, 2])
    const weight = (name: string) => `w/${name}`
    const fwd = layerKind(layer).graphForward(layer, x, {g, mode: 'logits', weight, dtype: 'float32'})
    const back = layerKind(layer).graphBackward(layer, dy, fwd.trace, {g, weight, needInputGrad: false, dtype: 'float32'})
    assert.equal(back.dx, undefined)
    assert.equal(g.nodes.filter((n) => n.op === 'Conv2DBackpropInput').length, 0)
  })
})
