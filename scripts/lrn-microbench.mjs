// LRN forward + backward at net A-LRN's first layer (subset profile: 64 x 128 x 128 x 8):
// TensorFlow's LRN and LRNGrad ops against the graph layer (src/models/layers/lrn.ts), same
// input, same values checked. Prints median ms of 12 runs per arm, 3 alternating rounds.
//   npm run build && node scripts/lrn-microbench.mjs
import * as tf from '@tensorflow/tfjs-core'
import {initBackend} from '../dist/backend/backend.js'
import {GraphBuilder, T} from '../dist/backend/graph-builder.js'
import {GraphSession} from '../dist/backend/graph-session.js'
import {LRN_PARAMS, lrnLayer} from '../dist/models/layers/lrn.js'

await initBackend()
const [N, H, C] = [64, 128, 8]
const {depthRadius, bias, alpha, beta} = LRN_PARAMS
const opAttrs = {depth_radius: {i: depthRadius}, bias: {f: bias}, alpha: {f: alpha}, beta: {f: beta}, ...T}
const sumAll = (g, t) => g.add('Sum', [t, g.intConst([0, 1, 2, 3])], {...T, Tidx: {type: 'int32'}, keep_dims: {b: false}})

function session(kind) {
  const g = new GraphBuilder()
  const x = g.placeholder('x', 'float32', [-1, H, H, C])
  const dy = g.placeholder('dy', 'float32', [-1, H, H, C])
  let y, dx
  if (kind === 'upload only') [y, dx] = [g.add('Identity', [x], T), g.add('Identity', [dy], T)]
  else if (kind === 'TensorFlow LRN ops') {
    y = g.add('LRN', [x], opAttrs)
    dx = g.add('LRNGrad', [dy, x, y], opAttrs)
  } else {
    const layer = {kind: 'lrn', name: 'lrn1_1', channels: C}
    const f = lrnLayer.graphForward(layer, x, {g, mode: 'logits', dtype: 'float32', weight: () => ''})
    y = f.out
    dx = lrnLayer.graphBackward(layer, dy, f.trace, {g, dtype: 'float32', weight: () => '', needInputGrad: true}).dx
  }
  g.add('Identity', [y], T, 'y')
  g.add('Identity', [dx], T, 'dx')
  g.add('AddV2', [sumAll(g, y), sumAll(g, dx)], T, 'sum')
  return new GraphSession(g.build())
}

const x = tf.randomNormal([N, H, H, C], 0, 30, 'float32', 1)
const dy = tf.randomNormal([N, H, H, C], 0, 1, 'float32', 2)
const arms = ['upload only', 'TensorFlow LRN ops', 'vgg-repro graph layer']
const sessions = Object.fromEntries(arms.map((a) => [a, session(a)]))
const feeds = [['x', x], ['dy', dy]]
const [ya, dxa] = sessions[arms[1]].run(feeds, ['y', 'dx'])
const [yb, dxb] = sessions[arms[2]].run(feeds, ['y', 'dx'])
const rel = (a, b) => tf.tidy(() => tf.norm(tf.sub(a, b)).div(tf.norm(a)).dataSync()[0])
console.log(`relative L2 difference: y ${rel(ya, yb).toExponential(1)}, dx ${rel(dxa, dxb).toExponential(1)}`)
for (let round = 1; round <= 3; round++)
  for (const arm of round % 2 === 1 ? arms : [...arms].reverse()) {
    const times = []
    for (let i = 0; i < 12; i++) {
      const t0 = performance.now()
      const [o] = sessions[arm].run(feeds, ['sum'])
      o.dataSync()
      o.dispose()
      times.push(performance.now() - t0)
    }
    times.sort((a, b) => a - b)
    console.log(`round ${round}  ${arm.padEnd(22)} ${((times[5] + times[6]) / 2).toFixed(1)} ms`)
  }
