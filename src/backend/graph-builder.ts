// A TensorFlow graph described in plain TypeScript (the fields of GraphDef's
// NodeDef). graph-session.ts encodes it as a GraphDef and runs it in one TensorFlow
// session, so a whole training step is one native call that TensorFlow's graph
// optimiser (grappler) can fuse and schedule. Node names of unnamed nodes come from a
// counter, so the same calls in the same order give the same graph.
export type GraphDtype = 'float32' | 'int32' | 'bool'

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

export const F32: AttrValue = {type: 'float32'}
/** the T attribute of float ops */
export const T = {T: F32}
/** BiasAdd / BiasAddGrad on NHWC tensors */
export const BIAS_ATTRS = {data_format: {s: 'NHWC'}, ...T}
/** stride-1 SAME convolution and its gradients, NHWC */
export const CONV_ATTRS = {strides: {ints: [1, 1, 1, 1]}, padding: {s: 'SAME'}, data_format: {s: 'NHWC'}, ...T}
/** Reshape with an int32 shape input */
export const RESHAPE_ATTRS = {...T, Tshape: {type: 'int32'} as AttrValue}
