// Posterior files: an 8-byte magic, a uint32 header length, a JSON header, padding
// to 8 bytes, then [n, classes] little-endian float32 or float16. Compact (no JSON
// numbers for the bulk) and self-describing (classes, ids, labels travel with it).
import {mkdir, readFile} from 'node:fs/promises'
import {endianness} from 'node:os'
import path from 'node:path'
import {writeFileAtomic} from '../util/atomic-write.js'
import {EvalInputError} from './errors.js'
import {decodeHalf, encodeHalf} from './fp16.js'
import type {Posteriors, SkippedImage} from './types.js'

const MAGIC = Buffer.from('VGGPOST\n', 'ascii')
const FORMAT = 'vgg-repro-posteriors'
const VERSION = 1
export type PosteriorDtype = 'float32' | 'float16'

interface Header {
  format: typeof FORMAT
  version: number
  dtype: PosteriorDtype
  n: number
  numClasses: number
  classes: string[]
  ids: string[]
  labels: number[]
  technique: string
  scales: number[]
  checkpoints: string[]
  skipped: SkippedImage[]
  datasetId?: string
  sources?: string[]
  precision?: string
  createdAt: string
}

const LITTLE_ENDIAN = endianness() === 'LE'

function payloadBytes(p: Posteriors, dtype: PosteriorDtype): Uint8Array {
  const arr = dtype === 'float16' ? encodeHalf(p.data) : p.data
  if (LITTLE_ENDIAN) return new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength)
  const out = new DataView(new ArrayBuffer(arr.byteLength))
  for (let i = 0; i < arr.length; i++) {
    if (dtype === 'float16') out.setUint16(2 * i, arr[i], true)
    else out.setFloat32(4 * i, arr[i], true)
  }
  return new Uint8Array(out.buffer)
}

/** Write atomically (util/atomic-write.ts). */
export async function writePosteriors(file: string, p: Posteriors, dtype: PosteriorDtype = 'float32'): Promise<void> {
  const numClasses = p.classes.length
  if (p.ids.length !== p.n || p.labels.length !== p.n || p.data.length !== p.n * numClasses) {
    throw new Error(`writePosteriors: inconsistent sizes (n=${p.n}, ids=${p.ids.length}, labels=${p.labels.length}, data=${p.data.length}, classes=${numClasses})`)
  }
  const header: Header = {
    format: FORMAT,
    version: VERSION,
    dtype,
    n: p.n,
    numClasses,
    classes: p.classes,
    ids: p.ids,
    labels: Array.from(p.labels),
    technique: p.technique,
    scales: p.scales,
    checkpoints: p.checkpoints,
    skipped: p.skipped,
    ...(p.datasetId !== undefined ? {datasetId: p.datasetId} : {}),
    ...(p.sources !== undefined ? {sources: p.sources} : {}),
    ...(p.precision !== undefined ? {precision: p.precision} : {}),
    createdAt: new Date().toISOString(),
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8')
  const pad = (8 - ((MAGIC.length + 4 + json.length) % 8)) % 8
  if (pad > 0) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]) // spaces keep the JSON valid
  const len = Buffer.alloc(4)
  len.writeUInt32LE(json.length)

  await mkdir(path.dirname(file), {recursive: true})
  await writeFileAtomic(file, [MAGIC, len, json, payloadBytes(p, dtype)])
}

function bad(file: string, why: string): never {
  throw new EvalInputError(`${file}: not a valid posteriors file: ${why}`)
}

export async function readPosteriors(file: string): Promise<Posteriors> {
  let buf: Buffer
  try {
    buf = await readFile(file)
  } catch (error) {
    throw new EvalInputError(`${file}: cannot read posteriors file: ${(error as Error).message.split('\n')[0]}`)
  }
  if (buf.length < MAGIC.length + 4 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) bad(file, 'wrong magic bytes')
  const hlen = buf.readUInt32LE(MAGIC.length)
  const start = MAGIC.length + 4
  if (start + hlen > buf.length) bad(file, 'truncated header')
  let h: Header
  try {
    h = JSON.parse(buf.subarray(start, start + hlen).toString('utf8')) as Header
  } catch {
    bad(file, 'header is not JSON')
  }
  if (h.format !== FORMAT) bad(file, `format "${String(h.format)}"`)
  if (h.version !== VERSION) bad(file, `version ${h.version} (this build reads ${VERSION})`)
  const width = h.dtype === 'float16' ? 2 : h.dtype === 'float32' ? 4 : bad(file, `dtype "${String(h.dtype)}"`)
  const count = h.n * h.classes.length
  const dataStart = start + hlen
  if (buf.length !== dataStart + count * width) {
    bad(file, `data has ${buf.length - dataStart} bytes, expected ${count * width} (n=${h.n}, classes=${h.classes.length}, ${h.dtype})`)
  }
  if (h.ids.length !== h.n || h.labels.length !== h.n) bad(file, 'ids/labels length differs from n')
  // Copy into an aligned buffer (the file's payload offset is 8-aligned, but the Buffer's pool offset may not be).
  const bytes = new Uint8Array(count * width)
  bytes.set(buf.subarray(dataStart))
  let data: Float32Array
  if (LITTLE_ENDIAN) {
    data = width === 2 ? decodeHalf(new Uint16Array(bytes.buffer)) : new Float32Array(bytes.buffer)
  } else {
    const view = new DataView(bytes.buffer)
    data = new Float32Array(count)
    const half = new Uint16Array(width === 2 ? count : 0)
    for (let i = 0; i < count; i++) {
      if (width === 2) half[i] = view.getUint16(2 * i, true)
      else data[i] = view.getFloat32(4 * i, true)
    }
    if (width === 2) data = decodeHalf(half)
  }
  return {
    classes: h.classes,
    ids: h.ids,
    labels: Int32Array.from(h.labels),
    data,
    n: h.n,
    technique: h.technique,
    scales: h.scales,
    checkpoints: h.checkpoints,
    skipped: h.skipped,
    ...(h.datasetId !== undefined ? {datasetId: h.datasetId} : {}),
    ...(h.sources !== undefined ? {sources: h.sources} : {}),
    ...(h.precision !== undefined ? {precision: h.precision} : {}),
  }
}
