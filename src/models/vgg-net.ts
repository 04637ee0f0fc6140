// VGG network over tf.Variables and core ops (no tfjs-layers: per-op overhead
// dominates at narrow widths, so each layer is one fused call): a loop over the
// plan's layers, each run by its kind's eager forward (layers/).
import * as tf from '@tensorflow/tfjs-core'
import {initKernel} from './init.js'
import {denseFilterShape} from './layers/fc.js'
import {layerKind, type EagerContext, type FcLayer, type ForwardMode} from './layers/index.js'
import {layersOf, planNet, variableShapes, type NetPlan} from './plan.js'
import type {InitSpec, NetSpec, WeightMap} from './types.js'

export interface ForwardOptions {
  training: boolean
  /** seeds the dropout masks (fc6 and fc7 get independent streams); random if omitted */
  dropoutSeed?: number
  /** dropout rate on fc6 / fc7 outputs when training (paper: 0.5) */
  dropoutRate?: number
}

/** tfjs variable names are process-global: prefix each net's names with a unique id. */
let netCounter = 0

export class VggNet {
  readonly spec: NetSpec
  readonly plan: NetPlan
  /** in layer order: `conv1_1/kernel`, `conv1_1/bias`, ..., `fc8/bias` */
  readonly variables: Map<string, tf.Variable>
  /** fc kernels reshaped to conv filters for dense mode, keyed by layer; rebuilt when the kernel's data changes */
  private readonly denseFilters = new Map<string, {dataId: object; filter: tf.Tensor4D}>()
  private disposed = false

  /** Use createNet(), or pass loaded weights; the arrays in `values` are taken over, not copied. */
  constructor(spec: NetSpec, values: WeightMap) {
    this.plan = planNet(spec)
    this.spec = {...spec}
    const prefix = `vgg${netCounter++}_${spec.config}`
    this.variables = new Map()
    const shapes = variableShapes(this.plan)
    const unknown = [...values.keys()].filter((name) => !shapes.some(([n]) => n === name))
    if (unknown.length > 0) throw new Error(`weights for net ${spec.config} have unknown variables: ${unknown.join(', ')}`)
    // validate everything before creating any variable, so a bad set leaks nothing
    for (const [name, shape] of shapes) {
      const value = values.get(name)
      if (value === undefined) throw new Error(`weights for net ${spec.config} have no ${name}`)
      assertShape(name, shape, value.shape)
      const size = shape.reduce((a, b) => a * b, 1)
      if (value.data.length !== size) throw new Error(`${name}: ${value.data.length} values for shape [${shape.join(',')}]`)
    }
    for (const [name, shape] of shapes) {
      const initial = tf.tensor(values.get(name)!.data, shape, 'float32')
      this.variables.set(name, tf.variable(initial, true, `${prefix}/${name}`))
      initial.dispose()
    }
  }

  /** Kernels get weight decay, biases do not. */
  isWeight(name: string): boolean {
    return name.endsWith('/kernel')
  }

  /** Class scores (no soft-max) for N crop x crop images. */
  logits(x: tf.Tensor4D, opts: ForwardOptions): tf.Tensor2D {
    this.assertLive()
    const {crop} = this.spec
    if (x.rank !== 4 || x.shape[1] !== crop || x.shape[2] !== crop || x.shape[3] !== 3) {
      throw new Error(`logits expects [N,${crop},${crop},3], got [${x.shape.join(',')}]`)
    }
    const ctx = this.context('logits', {
      training: opts.training,
      dropoutRate: opts.dropoutRate ?? 0.5,
      dropoutSeed: opts.dropoutSeed ?? Math.floor(Math.random() * 0x100000000),
    })
    return this.forward(x, ctx) as tf.Tensor2D
  }

  /**
   * Dense evaluation (paper 3.2): the FC layers as convolutions over the whole
   * image, fc6 as a (crop/32)^2 VALID conv and fc7 / fc8 as 1x1 convs. Returns the
   * class score map [N, floor(H/32) - crop/32 + 1, floor(W/32) - crop/32 + 1, classes].
   * The conv-shaped fc kernels are cached (reshape is 2 TF ops each, ~4% of a
   * narrow net's dense pass) and rebuilt when a kernel's data changes: assign()
   * (optimizers, setWeights, copyFromA) gives a variable a new dataId.
   */
  denseScoreMap(x: tf.Tensor4D): tf.Tensor4D {
    this.assertLive()
    const {crop} = this.spec
    if (x.rank !== 4 || x.shape[1] < crop || x.shape[2] < crop || x.shape[3] !== 3) {
      throw new Error(`denseScoreMap expects [N,H,W,3] with H,W >= ${crop}, got [${x.shape.join(',')}]`)
    }
    // the filters are made (or found) outside the tidy: the cache keeps them
    const filters = new Map<string, tf.Tensor4D>(layersOf(this.plan, 'fc').map((layer) => [layer.name, this.denseFilter(layer)]))
    return this.forward(x, this.context('dense', {training: false, dropoutRate: 0, dropoutSeed: 0}, (name) => filters.get(name)!)) as tf.Tensor4D
  }

  /** Every layer's eager forward, in plan order. */
  private forward(x: tf.Tensor4D, ctx: EagerContext): tf.Tensor {
    return tf.tidy(() => this.plan.layers.reduce<tf.Tensor>((h, layer) => layerKind(layer).eager(layer, h, ctx), x))
  }

  private context(mode: ForwardMode, dropout: Pick<EagerContext, 'training' | 'dropoutRate' | 'dropoutSeed'>, denseFilter?: (layer: string) => tf.Tensor4D): EagerContext {
    return {
      mode,
      ...dropout,
      weight: (name) => this.variables.get(name)!,
      denseFilter: denseFilter ?? (() => {
        throw new Error('dense filters exist in dense mode only')
      }),
    }
  }

  private denseFilter(layer: FcLayer): tf.Tensor4D {
    const kernel = this.variables.get(`${layer.name}/kernel`)!
    const cached = this.denseFilters.get(layer.name)
    if (cached !== undefined && cached.dataId === kernel.dataId) return cached.filter
    cached?.filter.dispose()
    const filter = tf.keep(tf.reshape(kernel, denseFilterShape(layer))) as tf.Tensor4D
    this.denseFilters.set(layer.name, {dataId: kernel.dataId, filter})
    return filter
  }

  /** Host copies of every variable, in layer order. */
  getWeights(): WeightMap {
    this.assertLive()
    const out: WeightMap = new Map()
    for (const [name, variable] of this.variables) {
      // slice(): dataSync may hand back the array the tensor was made from.
      out.set(name, {shape: [...variable.shape], data: (variable.dataSync() as Float32Array).slice()})
    }
    return out
  }

  /** Replace every variable; names and shapes must match exactly. */
  setWeights(weights: WeightMap): void {
    this.assertLive()
    const unknown = [...weights.keys()].filter((name) => !this.variables.has(name))
    const missing = [...this.variables.keys()].filter((name) => !weights.has(name))
    if (unknown.length > 0 || missing.length > 0) {
      throw new Error(
        `setWeights on ${this.spec.config}: ` +
          [unknown.length > 0 ? `unknown ${unknown.join(', ')}` : '', missing.length > 0 ? `missing ${missing.join(', ')}` : '']
            .filter(Boolean)
            .join('; '),
      )
    }
    for (const [name, value] of weights) assertShape(name, this.variables.get(name)!.shape, value.shape)
    for (const [name, value] of weights) assignWeight(this.variables.get(name)!, value.data, value.shape)
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    for (const {filter} of this.denseFilters.values()) filter.dispose()
    this.denseFilters.clear()
    for (const variable of this.variables.values()) variable.dispose()
  }

  get isDisposed(): boolean {
    return this.disposed
  }

  private assertLive(): void {
    if (this.disposed) throw new Error(`VggNet ${this.spec.config} was disposed`)
  }
}

/** A freshly initialised net: kernels from `init` (seeded per variable name), biases 0. */
export function createNet(spec: NetSpec, init: InitSpec, seed: number): VggNet {
  const values: WeightMap = new Map()
  for (const [name, shape] of variableShapes(planNet(spec))) {
    const size = shape.reduce((a, b) => a * b, 1)
    const data = name.endsWith('/kernel') ? initKernel(name, shape, init, seed) : new Float32Array(size)
    values.set(name, {shape, data})
  }
  return new VggNet(spec, values)
}

/** Overwrite one variable from host data (copied, so the caller may reuse its array). */
export function assignWeight(variable: tf.Variable, data: Float32Array, shape: number[]): void {
  const size = shape.reduce((a, b) => a * b, 1)
  if (data.length !== size) throw new Error(`weight data has ${data.length} values, shape [${shape.join(',')}] needs ${size}`)
  const value = tf.tensor(data.slice(), shape, 'float32')
  variable.assign(value)
  value.dispose()
}

export function assertShape(name: string, expected: readonly number[], got: readonly number[]): void {
  if (expected.length !== got.length || expected.some((d, i) => d !== got[i])) {
    throw new Error(`shape mismatch for ${name}: expected [${expected.join(',')}], got [${got.join(',')}]`)
  }
}
