// The measurements behind docs/precision.md, "Tolerances" and "An upstream bug": how far
// bf16 moves (1) a single Conv2D by its number of input channels, (2) each layer's output
// of a small net, (3) the first step's update of every variable, next to what perturbing
// only the fp32 step's inputs and weights by bf16's rounding (2^-9) does.
//   node --import tsx scripts/bf16-tolerance.mts
import * as tf from '@tensorflow/tfjs-core'
import {initBackend} from '../src/backend/backend.js'
import {castTo, convAttrs, GraphBuilder, type ComputeDtype} from '../src/backend/graph-builder.js'
import {GraphSession} from '../src/backend/graph-session.js'
import {addForward} from '../src/models/forward-graph.js'
import {createNet} from '../src/models/index.js'
import {planNet, variableShapes} from '../src/models/plan.js'
import {SgdMomentum} from '../src/train/sgd-momentum.js'
import {createStepEngine} from '../src/train/step-engine.js'

await initBackend()
const relL2 = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let n = 0
  let d = 0
  for (let i = 0; i < a.length; i++) {
    n += a[i] ** 2
    d += (a[i] - b[i]) ** 2
  }
  return Math.sqrt(d / n)
}
const pct = (x: number) => `${(100 * x).toFixed(2)}%`

console.log('1. a raw TensorFlow Conv2D (no padding fix), bf16 vs fp32, relative L2, by input channels:')
const line: string[] = []
for (const cin of [1, 2, 3, 4, 5, 8, 9, 16]) {
  const x = tf.randomUniform([4, 16, 16, cin], -100, 100, 'float32', 3)
  const w = tf.randomUniform([3, 3, cin, 8], -0.1, 0.1, 'float32', 4)
  const outs = (['float32', 'bfloat16'] as ComputeDtype[]).map((dt) => {
    const g = new GraphBuilder()
    const xi = castTo(g, g.placeholder('x', 'float32', [4, 16, 16, cin]), 'float32', dt)
    const wi = castTo(g, g.placeholder('w', 'float32', [3, 3, cin, 8]), 'float32', dt)
    g.add('Identity', [castTo(g, g.add('Conv2D', [xi, wi], convAttrs(dt)), dt, 'float32')], {T: {type: 'float32'}}, 'out')
    const s = new GraphSession(g.build())
    const [r] = s.run([['x', x], ['w', w]], ['out'])
    const data = r.dataSync()
    r.dispose()
    s.dispose()
    return data
  })
  line.push(`cin ${cin}: ${pct(relL2(outs[0], outs[1]))}`)
  tf.dispose([x, w])
}
console.log(`   ${line.join(', ')}`)

const spec = {config: 'A' as const, widthFactor: 1 / 16, fcWidth: 32, numClasses: 3, crop: 32}
const x = tf.randomUniform([12, 32, 32, 3], -100, 100, 'float32', 3) as tf.Tensor4D
const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], 'int32')

console.log('2. each layer of net A at 1/16 width (the tool\'s graph, padding fix in), bf16 vs fp32, relative L2:')
{
  const net = createNet(spec, {kind: 'glorot'}, 7)
  const plan = planNet(spec)
  const byLayer = new Map<string, Float32Array[]>()
  for (const dt of ['float32', 'bfloat16'] as ComputeDtype[]) {
    const g = new GraphBuilder()
    const input = g.placeholder('x', 'float32', [-1, 32, 32, 3])
    for (const [name, shape] of variableShapes(plan)) g.placeholder(`w/${name}`, 'float32', shape)
    const fw = addForward(g, plan, input, {mode: 'logits', weight: (n) => `w/${n}`, dtype: dt})
    const fetch: string[] = []
    for (const {layer, trace} of fw.traces) {
      const t = trace as {relu?: string; out?: string}
      const node = t.relu ?? t.out
      if (node !== undefined) fetch.push(g.add('Identity', [castTo(g, node, dt, 'float32')], {T: {type: 'float32'}}, layer.name))
    }
    const s = new GraphSession(g.build())
    const outs = s.run([['x', x], ...[...net.variables].map(([n, v]) => [`w/${n}`, v] as [string, tf.Tensor])], fetch)
    fetch.forEach((name, i) => byLayer.set(name, [...(byLayer.get(name) ?? []), outs[i].dataSync() as Float32Array]))
    tf.dispose(outs)
    s.dispose()
  }
  console.log(`   ${[...byLayer].map(([name, [a, b]]) => `${name} ${pct(relL2(a, b))}`).join(', ')}`)
  net.dispose()
}

console.log('3. the first SGD step\'s update of each kernel, relative L2 to fp32\'s (lr 1, no momentum, no decay, no dropout):')
{
  const opts = {momentum: 0, weightDecay: 0, dropout: 0}
  const perturb = (t: tf.Tensor, seed: number) => tf.tidy(() => tf.mul(t, tf.add(1, tf.mul(tf.randomUniform(t.shape, -1, 1, 'float32', seed), 2 ** -9))))
  const lr = tf.scalar(1)
  const updates = (['fp32', 'fp32 perturbed', 'bf16'] as const).map((run, k) => {
    const net = createNet(spec, {kind: 'glorot'}, 7)
    const w0 = net.getWeights()
    if (run === 'fp32 perturbed') for (const [n, v] of net.variables) v.assign(perturb(v, 11 + n.length))
    const input = run === 'fp32 perturbed' ? (perturb(x, 5) as tf.Tensor4D) : x
    const sgd = new SgdMomentum(net.variables, (n) => net.isWeight(n), opts)
    const step = createStepEngine(net, sgd, {...opts, engine: 'graph', dtype: run === 'bf16' ? 'bfloat16' : 'float32'})
    step.step(input, y, lr, 1, 0).dispose()
    step.sync()
    const u = new Map([...net.getWeights()].map(([n, w]) => [n, w.data.map((v, i) => v - w0.get(n)!.data[i])]))
    step.dispose()
    sgd.dispose()
    net.dispose()
    return {run, k, u}
  })
  for (const [name, ref] of updates[0].u) {
    if (!name.endsWith('/kernel')) continue
    console.log(`   ${name.padEnd(15)} fp32 with inputs and weights x(1 +- 2^-9): ${pct(relL2(ref, updates[1].u.get(name)!))}   bf16: ${pct(relL2(ref, updates[2].u.get(name)!))}`)
  }
}
