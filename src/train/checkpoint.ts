// One-file checkpoints: 8-byte magic, uint32 LE header length, a JSON header,
// then raw little-endian float32 buffers (weights, then momentum) at 8-byte
// aligned offsets. Written with writeFileAtomic, so a reader sees the previous
// complete file or the new one. The header holds a sha256 of the tensor bytes:
// a file damaged after writing (same size, other bytes) is refused on load.
import {createHash} from 'node:crypto'
import {promises as fsp} from 'node:fs'
import os from 'node:os'
import type {NetSpec, WeightMap} from '../models/types.js'
import {writeFileAtomic, type AtomicWriteOptions} from '../util/atomic-write.js'
import type {ScheduleState} from './schedule.js'
import type {EpochMetrics, TrainJob} from './types.js'

const MAGIC = Buffer.from('VGGCKPT\x01', 'latin1')
const PREFIX_BYTES = MAGIC.length + 4

/** Running sums of an epoch interrupted mid-way, so its metrics continue on resume. */
export interface PartialEpoch {
  lossSum: number
  top1Correct: number
  top5Correct: number
  images: number
  trainMs: number
  dataWaitMs: number
}

/** Everything but the tensors; what readCheckpointHeader returns. */
export interface CheckpointState {
  net: NetSpec
  /** completed epochs */
  epoch: number
  /** global optimizer steps taken */
  step: number
  /** batches of epoch index `epoch` (0-based) already trained; 0 at an epoch boundary */
  batchInEpoch: number
  schedule: ScheduleState
  rng: {seed: number; scheme: string}
  /** hash of the job's resolved inputs: resuming with a different job is refused */
  inputsHash: string
  metrics: EpochMetrics[]
  partial?: PartialEpoch
  /** set once training has ended by schedule or epoch cap */
  stoppedBy?: 'schedule' | 'epochs'
  /** training wall time over all sessions */
  wallMs: number
  job: TrainJob
  datasetId: string
  classes: string[]
  meanRgb: [number, number, number]
}

interface TensorEntry {
  name: string
  kind: 'weight' | 'momentum'
  shape: number[]
  /** bytes from the start of the data section */
  offset: number
  length: number
}

interface Header extends CheckpointState {
  format: 'vgg-repro-checkpoint'
  version: 1
  endian: 'LE'
  createdAt: string
  tensors: TensorEntry[]
  dataBytes: number
  /** sha256 (hex) of the tensors' bytes in header order, padding excluded; absent in older files */
  dataSha256?: string
}

export interface Checkpoint extends CheckpointState {
  weights: WeightMap
  /** empty for a checkpoint without optimizer state */
  momentum: WeightMap
}

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CheckpointError'
  }
}

export async function writeCheckpoint(file: string, ckpt: Checkpoint, opts?: AtomicWriteOptions): Promise<void> {
  if (os.endianness() !== 'LE') throw new CheckpointError('checkpoints are little-endian; this machine is big-endian')
  const tensors: TensorEntry[] = []
  const views: Uint8Array[] = []
  let offset = 0
  for (const [kind, map] of [['weight', ckpt.weights], ['momentum', ckpt.momentum]] as const) {
    for (const [name, {shape, data}] of map) {
      tensors.push({name, kind, shape, offset, length: data.length})
      views.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
      offset += align8(data.byteLength)
    }
  }
  const {weights: _w, momentum: _m, ...state} = ckpt
  const sha = createHash('sha256')
  for (const v of views) sha.update(v)
  const header: Header = {
    format: 'vgg-repro-checkpoint',
    version: 1,
    endian: 'LE',
    createdAt: new Date().toISOString(),
    ...state,
    tensors,
    dataBytes: offset,
    dataSha256: sha.digest('hex'),
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8')
  // Pad with spaces (valid JSON whitespace) so the data section starts 8-byte aligned.
  const pad = align8(PREFIX_BYTES + json.length) - (PREFIX_BYTES + json.length)
  if (pad > 0) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)])
  const prefix = Buffer.alloc(PREFIX_BYTES)
  MAGIC.copy(prefix, 0)
  prefix.writeUInt32LE(json.length, MAGIC.length)
  await writeFileAtomic(file, chunks(prefix, json, views), opts)
}

function* chunks(prefix: Buffer, json: Buffer, views: Uint8Array[]): Iterable<Uint8Array> {
  yield prefix
  yield json
  for (const v of views) {
    yield v
    const pad = align8(v.byteLength) - v.byteLength
    if (pad > 0) yield new Uint8Array(pad)
  }
}

/** The header only (cheap): spec, progress, schedule, metrics. */
export async function readCheckpointHeader(file: string): Promise<CheckpointState> {
  const fh = await fsp.open(file, 'r')
  try {
    const {header} = await readHeader(fh, file)
    return stateOf(header)
  } finally {
    await fh.close()
  }
}

/** The whole checkpoint: header fields plus weights and momentum buffers. */
export async function loadCheckpoint(file: string): Promise<Checkpoint> {
  const fh = await fsp.open(file, 'r')
  try {
    const {header, dataStart} = await readHeader(fh, file)
    const weights: WeightMap = new Map()
    const momentum: WeightMap = new Map()
    const sha = createHash('sha256')
    for (const t of header.tensors) {
      const data = new Float32Array(t.length)
      const bytes = new Uint8Array(data.buffer)
      const {bytesRead} = await fh.read(bytes, 0, bytes.byteLength, dataStart + t.offset)
      if (bytesRead !== bytes.byteLength) throw new CheckpointError(`${file}: truncated tensor ${t.name}`)
      sha.update(bytes)
      ;(t.kind === 'weight' ? weights : momentum).set(t.name, {shape: t.shape, data})
    }
    checkDigest(file, header, sha.digest('hex'))
    return {...stateOf(header), weights, momentum}
  } finally {
    await fh.close()
  }
}

/**
 * Read the whole file and check its header and checksum without keeping the
 * tensors; throws CheckpointError naming the file and what is wrong.
 */
export async function verifyCheckpoint(file: string): Promise<void> {
  const fh = await fsp.open(file, 'r')
  try {
    const {header, dataStart} = await readHeader(fh, file)
    const sha = createHash('sha256')
    const buf = Buffer.alloc(1 << 22)
    for (const t of header.tensors) {
      let done = 0
      const total = t.length * 4
      while (done < total) {
        const n = Math.min(buf.length, total - done)
        const {bytesRead} = await fh.read(buf, 0, n, dataStart + t.offset + done)
        if (bytesRead !== n) throw new CheckpointError(`${file}: truncated tensor ${t.name}`)
        sha.update(buf.subarray(0, n))
        done += n
      }
    }
    checkDigest(file, header, sha.digest('hex'))
  } finally {
    await fh.close()
  }
}

function checkDigest(file: string, header: Header, digest: string): void {
  if (header.dataSha256 !== undefined && header.dataSha256 !== digest) {
    throw new CheckpointError(`${file} is corrupt: its tensor bytes do not match the checksum written with it`)
  }
}

async function readHeader(fh: fsp.FileHandle, file: string): Promise<{header: Header; dataStart: number}> {
  const {size} = await fh.stat()
  const prefix = Buffer.alloc(PREFIX_BYTES)
  await fh.read(prefix, 0, PREFIX_BYTES, 0)
  if (size < PREFIX_BYTES || !prefix.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new CheckpointError(`${file} is not a vgg-repro checkpoint (bad magic)`)
  }
  const headerBytes = prefix.readUInt32LE(MAGIC.length)
  if (PREFIX_BYTES + headerBytes > size) throw new CheckpointError(`${file}: truncated header`)
  const json = Buffer.alloc(headerBytes)
  await fh.read(json, 0, headerBytes, PREFIX_BYTES)
  let header: Header
  try {
    header = JSON.parse(json.toString('utf8')) as Header
  } catch (error) {
    throw new CheckpointError(`${file}: unreadable header: ${(error as Error).message}`)
  }
  if (header.format !== 'vgg-repro-checkpoint' || header.version !== 1) {
    throw new CheckpointError(`${file}: unsupported checkpoint format ${header.format} v${header.version}`)
  }
  const dataStart = PREFIX_BYTES + headerBytes
  if (size !== dataStart + header.dataBytes) {
    throw new CheckpointError(`${file}: size ${size} bytes, expected ${dataStart + header.dataBytes} (truncated or corrupt)`)
  }
  return {header, dataStart}
}

function stateOf(h: Header): CheckpointState {
  const {format: _f, version: _v, endian: _e, createdAt: _c, tensors: _t, dataBytes: _d, dataSha256: _s, ...state} = h
  return state
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8
}
