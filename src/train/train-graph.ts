// The trainer's step (eager-step.ts) as one TensorFlow graph: forward with the
// same dropout masks, soft-max cross-entropy, hand-written gradients, and the same
// SGD update (sgd-momentum.ts: v = mu*v - lr*(g + wd*w), w = w + v; decay on
// kernels only). Weights and momentum live in the session as resource variables.
//
// Why by hand: each layer kind's gradient is one or a few TensorFlow ops
// (Conv2DBackpropInput/Filter, BiasAddGrad, ReluGrad, MaxPoolGrad), the same ops
// TensorFlow's own autodiff emits (LRN's is written out: layers/lrn.ts); every
// layer kind (models/layers/) adds its own, the backward pass is the plan's layers
// in reverse. Each is checked
// against tfjs autodiff (test/models/layer-gradients.test.ts), the whole step
// against the eager step (test/train/graph-step.test.ts).
//
// Any batch size N. Feeds: images [N,c,c,3] float, labels [N] int32, lr [] float, mask/fc6 and
// mask/fc7 [N,fcWidth] (dropout scale-or-zero masks; only when dropout is on).
// Fetches: `stats` [3] = [loss*N, top1 hits, top5 hits] after the update;
// `read/<var>` and `read_m/<var>` for weights and momentum; `assign` after feeding
// every `in/<var>` and `in_m/<var>`.
import {castTo, F32, GraphBuilder, T, type ComputeDtype, type GraphSpec} from '../backend/graph-builder.js'
import {addForward} from '../models/forward-graph.js'
import {layerKind} from '../models/layers/index.js'
import {variableShapes, type NetPlan} from '../models/plan.js'

export interface TrainGraphOptions {
  momentum: number
  weightDecay: number
  /** false: no dropout nodes and no mask feeds */
  dropout: boolean
  /** what convolutions, matrix products and their gradients compute in; default float32 */
  dtype?: ComputeDtype
}

export const TRAIN_GRAPH_FEEDS = {images: 'images', labels: 'labels', lr: 'lr'} as const
export const maskFeed = (stream: string) => `mask/${stream}`
export const readWeight = (name: string) => `read/${name}`
export const readMomentum = (name: string) => `read_m/${name}`
export const assignWeightFeed = (name: string) => `in/${name}`
export const assignMomentumFeed = (name: string) => `in_m/${name}`
export const STATS_FETCH = 'stats'
export const ASSIGN_FETCH = 'assign'

export function buildTrainGraph(plan: NetPlan, opts: TrainGraphOptions): GraphSpec {
  const g = new GraphBuilder()
  const {crop, numClasses} = plan.spec
  const images = g.placeholder(TRAIN_GRAPH_FEEDS.images, 'float32', [-1, crop, crop, 3])
  const labels = g.placeholder(TRAIN_GRAPH_FEEDS.labels, 'int32', [-1])
  const lr = g.placeholder(TRAIN_GRAPH_FEEDS.lr, 'float32', [])

  // Variables: a handle, one read shared by forward, backward and update (so every
  // assignment data-depends on it and runs after all uses), and an assign path.
  const reads = new Map<string, string>()
  const momentumReads = new Map<string, string>()
  const handles = new Map<string, {w: string; m: string}>()
  const assigns: string[] = []
  for (const [name, shape] of variableShapes(plan)) {
    const w = g.add('VarHandleOp', [], {dtype: F32, shape: {shape}, shared_name: {s: `w/${name}`}, container: {s: ''}}, `var/${name}`)
    const m = g.add('VarHandleOp', [], {dtype: F32, shape: {shape}, shared_name: {s: `m/${name}`}, container: {s: ''}}, `var_m/${name}`)
    handles.set(name, {w, m})
    reads.set(name, g.add('ReadVariableOp', [w], {dtype: F32}, readWeight(name)))
    momentumReads.set(name, g.add('ReadVariableOp', [m], {dtype: F32}, readMomentum(name)))
    const wIn = g.placeholder(assignWeightFeed(name), 'float32', shape)
    const mIn = g.placeholder(assignMomentumFeed(name), 'float32', shape)
    assigns.push(g.add('AssignVariableOp', [w, wIn], {dtype: F32}), g.add('AssignVariableOp', [m, mIn], {dtype: F32}))
  }
  // a fetch must be a tensor: a constant that waits for every assignment
  g.add('Identity', [g.floatConst([0]), ...assigns.map((a) => `^${a}`)], {T: F32}, ASSIGN_FETCH)
  const weight = (name: string) => reads.get(name)!

  // ---- forward (shared with evaluation: models/forward-graph.ts)
  const dtype = opts.dtype ?? 'float32'
  const forward = addForward(g, plan, images, {
    mode: 'logits',
    weight,
    mask: opts.dropout ? (stream) => g.placeholder(maskFeed(stream), 'float32', [-1, plan.spec.fcWidth]) : undefined,
    dtype,
  })
  const logits = forward.output

  // ---- loss and hit counts: stats = [sum of per-image losses, top-1 hits, top-5 hits]
  const xent = g.add('SparseSoftmaxCrossEntropyWithLogits', [logits, labels], {...T, Tlabels: {type: 'int32'}})
  const k = Math.min(5, numClasses)
  const topk = g.add('TopKV2', [logits, g.intConst([k], [])], {sorted: {b: true}, ...T})
  const hit = g.add('Equal', [`${topk}:1`, g.add('Reshape', [labels, g.intConst([-1, 1])], {T: {type: 'int32'}, Tshape: {type: 'int32'}})], {
    T: {type: 'int32'},
  })
  const hitF = g.add('Cast', [hit], {SrcT: {type: 'bool'}, DstT: F32})
  const perRank = g.add('Sum', [hitF, g.intConst([0])], {...T, Tidx: {type: 'int32'}, keep_dims: {b: false}})
  const top1 = g.add('Slice', [perRank, g.intConst([0]), g.intConst([1])], {...T, Index: {type: 'int32'}})
  const top5 = g.add('Sum', [perRank, g.intConst([0])], {...T, Tidx: {type: 'int32'}, keep_dims: {b: true}})
  const lossSum = g.add('Sum', [xent, g.intConst([0])], {...T, Tidx: {type: 'int32'}, keep_dims: {b: true}})
  const stats = g.add('ConcatV2', [lossSum, top1, top5, g.intConst([0], [])], {N: {i: 3}, ...T, Tidx: {type: 'int32'}})

  // ---- backward: d(mean loss)/d(logits) = softmax - onehot, divided by N
  const grads = new Map<string, string>()
  const batch = g.add('Cast', [g.add('Shape', [labels], {T: {type: 'int32'}, out_type: {type: 'int32'}})], {SrcT: {type: 'int32'}, DstT: F32})
  // Mixed precision: the loss gradient is cast to the compute dtype, each weight gradient
  // back to float32 for the update (no loss scaling: bfloat16 has float32's exponent range)
  let dy: string | undefined = castTo(g, g.add('RealDiv', [`${xent}:1`, batch], T), 'float32', dtype)
  for (let i = forward.traces.length - 1; i >= 0; i--) {
    const {layer, trace} = forward.traces[i]
    const back = layerKind(layer).graphBackward(layer, dy!, trace, {g, weight: forward.computeWeight, needInputGrad: i > 0, dtype})
    for (const [name, grad] of back.grads) grads.set(name, castTo(g, grad, dtype, 'float32'))
    dy = back.dx
  }

  // ---- SGD with momentum, the same arithmetic as SgdMomentum.apply
  const mu = g.floatConst([opts.momentum])
  const wd = g.floatConst([opts.weightDecay])
  const updates: string[] = []
  for (const [name] of variableShapes(plan)) {
    const w = reads.get(name)!
    let grad = grads.get(name)!
    if (name.endsWith('/kernel')) grad = g.add('AddV2', [grad, g.add('Mul', [w, wd], T)], T)
    const v = g.add('Sub', [g.add('Mul', [momentumReads.get(name)!, mu], T), g.add('Mul', [grad, lr], T)], T)
    const {w: wHandle, m: mHandle} = handles.get(name)!
    updates.push(g.add('AssignVariableOp', [mHandle, v], {dtype: F32}))
    updates.push(g.add('AssignVariableOp', [wHandle, g.add('AddV2', [w, v], T)], {dtype: F32}))
  }
  g.add('Identity', [stats, ...updates.map((u) => `^${u}`)], T, STATS_FETCH)
  return g.build()
}
