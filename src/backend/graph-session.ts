// Runs a GraphSpec (graph-builder.ts) as one TensorFlow session on
// the native backend. tfjs-node can already load a SavedModel into a session and
// run it (TF_LoadSessionFromSavedModel, TF_SessionRun); we write the graph as a
// variable-free SavedModel into a temporary folder, load it and delete the folder.
// One session run replaces several hundred eager op calls per training step, and
// TensorFlow's graph optimiser fuses conv+bias+ReLU and schedules the rest.
import * as tf from '@tensorflow/tfjs-core'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import os from 'node:os'
import path from 'node:path'
import type {AttrValue, GraphDtype, GraphSpec} from './graph-builder.js'
import {envFlag} from '../util/env.js'
import {backendInfo} from './backend.js'

interface NativeBackend {
  loadSavedModelMetaGraph(dir: string, tags: string): number
  runSavedModel(id: number, inputs: tf.Tensor[], infos: {name: string; tfDtype: string}[], outputs: string[]): tf.Tensor[]
  deleteSavedModel(id: number): void
}

/* eslint-disable @typescript-eslint/no-explicit-any -- google-protobuf classes generated without types */
type Proto = any

const TAG = 'vgg-repro-train'
/** GraphDef version this graph is written for (TF 2.x; the loader fills attr defaults). */
const GRAPH_PRODUCER = 1700

/** True when graph sessions can run: the native TensorFlow backend is in use. */
export function graphSessionsAvailable(): boolean {
  return backendInfo()?.backend === 'tensorflow' && !envFlag('VGG_REPRO_EAGER_STEP')
}

function protoModule(): Proto {
  const source = backendInfo()?.source
  if (source === undefined) throw new Error('graph sessions need initBackend() first')
  // The generated TensorFlow protos that ship inside the loaded tfjs-node package.
  const require = createRequire(path.join(source.startsWith('@') ? process.cwd() : source, 'package.json'))
  const pkgDir = source.startsWith('@') ? path.dirname(require.resolve(`${source}/package.json`)) : source
  return require(path.join(pkgDir, 'dist', 'proto', 'api_pb.js'))
}

function dtypeEnum(pb: Proto, dtype: GraphDtype): number {
  return {float32: pb.DataType.DT_FLOAT, bfloat16: pb.DataType.DT_BFLOAT16, int32: pb.DataType.DT_INT32, bool: pb.DataType.DT_BOOL}[dtype]
}

function shapeProto(pb: Proto, dims: number[]): Proto {
  const shape = new pb.TensorShape()
  for (const size of dims) {
    const dim = new pb.TensorShape.Dim()
    dim.setSize(size)
    shape.addDim(dim)
  }
  return shape
}

function attrProto(pb: Proto, value: AttrValue): Proto {
  const attr = new pb.AttrValue()
  if ('type' in value) attr.setType(dtypeEnum(pb, value.type))
  else if ('i' in value) attr.setI(value.i)
  else if ('f' in value) attr.setF(value.f)
  else if ('b' in value) attr.setB(value.b)
  else if ('s' in value) attr.setS(Buffer.from(value.s, 'utf8'))
  else if ('ints' in value) {
    const list = new pb.AttrValue.ListValue()
    list.setIList(value.ints)
    attr.setList(list)
  } else if ('shape' in value) attr.setShape(shapeProto(pb, value.shape))
  else {
    const {dtype, shape, values} = value.tensor
    const tensor = new pb.Tensor()
    tensor.setDtype(dtypeEnum(pb, dtype))
    tensor.setTensorShape(shapeProto(pb, shape))
    const typed = dtype === 'float32' ? Float32Array.from(values) : Int32Array.from(values)
    tensor.setTensorContent(new Uint8Array(typed.buffer))
    attr.setTensor(tensor)
  }
  return attr
}

export function encodeSavedModel(graph: GraphSpec): Uint8Array {
  const pb = protoModule()
  const graphDef = new pb.GraphDef()
  const versions = new pb.VersionDef()
  versions.setProducer(GRAPH_PRODUCER)
  graphDef.setVersions(versions)
  for (const node of graph.nodes) {
    const def = new pb.NodeDef()
    def.setName(node.name)
    def.setOp(node.op)
    for (const input of node.inputs) def.addInput(input)
    const attrs = def.getAttrMap()
    for (const [key, value] of Object.entries(node.attrs)) attrs.set(key, attrProto(pb, value))
    graphDef.addNode(def)
  }
  const info = new pb.MetaGraphDef.MetaInfoDef()
  info.addTags(TAG)
  const meta = new pb.MetaGraphDef()
  meta.setMetaInfoDef(info)
  meta.setGraphDef(graphDef)
  const model = new pb.SavedModel()
  model.setSavedModelSchemaVersion(1)
  model.addMetaGraphs(meta)
  return model.serializeBinary()
}

const TF_DTYPES: Record<string, string> = {float32: 'DT_FLOAT', int32: 'DT_INT32', bool: 'DT_BOOL'}

export class GraphSession {
  private id: number | undefined
  private readonly backend: NativeBackend

  constructor(graph: GraphSpec) {
    if (!graphSessionsAvailable()) throw new Error('graph sessions need the native TensorFlow backend')
    this.backend = tf.backend() as unknown as NativeBackend
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vgg-repro-graph-'))
    try {
      writeFileSync(path.join(dir, 'saved_model.pb'), encodeSavedModel(graph))
      this.id = this.backend.loadSavedModelMetaGraph(dir, TAG)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  }

  /** Feed tensors by placeholder name, fetch outputs by node name (`node` or `node:i`). */
  run(feeds: [string, tf.Tensor][], fetches: string[]): tf.Tensor[] {
    if (this.id === undefined) throw new Error('GraphSession was disposed')
    const infos = feeds.map(([name, t]) => ({name: name.includes(':') ? name : `${name}:0`, tfDtype: TF_DTYPES[t.dtype]}))
    const outputs = fetches.map((name) => (name.includes(':') ? name : `${name}:0`))
    return this.backend.runSavedModel(this.id, feeds.map(([, t]) => t), infos, outputs)
  }

  dispose(): void {
    if (this.id === undefined) return
    this.backend.deleteSavedModel(this.id)
    this.id = undefined
  }
}
