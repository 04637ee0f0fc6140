// A TensorFlow graph described in plain TypeScript (the fields of GraphDef's
// NodeDef). graph-session.ts encodes it as a GraphDef and runs it in one TensorFlow
// session, so a whole training step is one native call that TensorFlow's graph
// optimiser (grappler) can fuse and schedule. Node names of unnamed nodes come from a
// counter, so the same calls in the same order give the same graph.
export type GraphDtype = 'float32' | 'bfloat16' | 'int32' | 'bool'

export type AttrValue =
  | {type: GraphDtype}
  | {i: number}
  | {f: number}
  | {b: boolean}
  | {s: string}
  | {ints: number[]}
  | {shape: number[]}
  | {tensor: {dtype: 'float32' | 'int32'; shape: number[]; values: number[]}}

export interface NodeSpec {
  name: string
  op: string
  /** `node`, `node:1` for a later output, `^node` for a control dependency */
  inputs: string[]
  attrs: Record<string, AttrValue>
}

export interface GraphSpec {
  nodes: NodeSpec[]
}

export class GraphBuilder {
  readonly nodes: NodeSpec[] = []
  private readonly names = new Set<string>()
  private counter = 0

  /** Add a node; returns its name (= its first output). Unnamed nodes get `op_N`. */
  add(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, name?: string): string {
    const nodeName = name ?? `${op}_${this.counter++}`
    if (this.names.has(nodeName)) throw new Error(`graph already has a node named ${nodeName}`)
    for (const input of inputs) {
      const base = input.replace(/^\^/, '').replace(/:\d+$/, '')
      if (!this.names.has(base)) throw new Error(`node ${nodeName} (${op}) uses ${input}, which is not defined yet`)
    }
    this.names.add(nodeName)
    this.nodes.push({name: nodeName, op, inputs, attrs})
    return nodeName
  }

  floatConst(values: number[], shape: number[] = [], name?: string): string {
    return this.add('Const', [], {dtype: {type: 'float32'}, value: {tensor: {dtype: 'float32', shape, values}}}, name)
  }

  intConst(values: number[], shape: number[] = [values.length], name?: string): string {
    return this.add('Const', [], {dtype: {type: 'int32'}, value: {tensor: {dtype: 'int32', shape, values}}}, name)
  }

  placeholder(name: string, dtype: GraphDtype, shape: number[]): string {
    return this.add('Placeholder', [], {dtype: {type: dtype}, shape: {shape}}, name)
  }

  build(): GraphSpec {
    return {nodes: [...this.nodes]}
  }
}

/**
 * The dtype a graph computes its convolutions, matrix products and their gradients in
 * (mixed precision, src/backend/precision.ts): weights, momentum, the loss and the
 * update stay float32 whatever this is.
 */
export type ComputeDtype = 'float32' | 'bfloat16'

/** The T attribute of float ops computing in `dtype`. */
export const tOf = (dtype: ComputeDtype) => ({T: {type: dtype} as AttrValue})
/** BiasAdd / BiasAddGrad on NHWC tensors in `dtype` */
export const biasAttrs = (dtype: ComputeDtype) => ({data_format: {s: 'NHWC'} as AttrValue, ...tOf(dtype)})
/** stride-1 SAME convolution and its gradients, NHWC, in `dtype` */
export const convAttrs = (dtype: ComputeDtype) => ({
  strides: {ints: [1, 1, 1, 1]} as AttrValue,
  padding: {s: 'SAME'} as AttrValue,
  data_format: {s: 'NHWC'} as AttrValue,
  ...tOf(dtype),
})
/** Reshape of a `dtype` tensor with an int32 shape input */
export const reshapeAttrs = (dtype: ComputeDtype) => ({...tOf(dtype), Tshape: {type: 'int32'} as AttrValue})

/** `x` (of dtype `from`) as `to`: a Cast node, or `x` itself when they agree. */
export function castTo(g: GraphBuilder, x: string, from: ComputeDtype, to: ComputeDtype): string {
  return from === to ? x : g.add('Cast', [x], {SrcT: {type: from}, DstT: {type: to}, Truncate: {b: false}})
}

/**
 * A forward Conv2D (NHWC, stride 1) of `x` [.., cin] with `kernel` [k, k, cin, cout] in
 * `dtype`. TensorFlow 2.21's oneDNN bfloat16 Conv2D gives wrong results when the input
 * has an odd number of channels (relative error 20-95% against float32 on an AVX512_BF16
 * CPU, for any kernel size, SAME or VALID; the backward ops and MatMul are right; measured
 * in docs/precision.md, "An upstream bug"). So in bfloat16 an odd cin gets one zero
 * channel on the input and a zero input slice on the kernel, which adds exactly nothing.
 */
export function conv2dForward(g: GraphBuilder, x: string, kernel: string, cin: number, dtype: ComputeDtype, padding: 'SAME' | 'VALID' = 'SAME'): string {
  const attrs = {...convAttrs(dtype), padding: {s: padding} as AttrValue}
  if (dtype !== 'bfloat16' || cin % 2 === 0) return g.add('Conv2D', [x, kernel], attrs)
  const pad = (t: string, paddings: number[]) => g.add('Pad', [t, g.intConst(paddings, [4, 2])], {...tOf(dtype), Tpaddings: {type: 'int32'}})
  return g.add('Conv2D', [pad(x, [0, 0, 0, 0, 0, 0, 0, 1]), pad(kernel, [0, 0, 0, 0, 0, 1, 0, 0])], attrs)
}

export const F32: AttrValue = {type: 'float32'}
/** the T attribute of float ops */
export const T = {T: F32}
/** BiasAdd / BiasAddGrad on float32 NHWC tensors */
export const BIAS_ATTRS = biasAttrs('float32')
/** stride-1 SAME float32 convolution and its gradients, NHWC */
export const CONV_ATTRS = convAttrs('float32')
/** Reshape of a float32 tensor with an int32 shape input */
export const RESHAPE_ATTRS = reshapeAttrs('float32')
