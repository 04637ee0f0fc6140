// On-disk form of a decoded-image cache: one file, so a single rename publishes it
// atomically (an index beside a pixel file could be seen half-updated).
// Layout: 'VGGDEC01' | header length (uint32 LE) | header JSON | zero pad to 8 | pixels.
// The pixels are the entries' uint8 RGB images, back to back in entry order; the
// header holds their sha256, so bytes damaged after writing (same size) are noticed.
import {createHash} from 'node:crypto'
import {open} from 'node:fs/promises'
import {writeFileAtomic} from '../util/atomic-write.js'

const MAGIC = 'VGGDEC01'
/** 2: with the pixels' sha256 (version 1 files, size-checked only, are rebuilt) */
export const DECODED_FILE_VERSION = 2

/** The pixel section does not match the checksum in its header. */
export class DecodedChecksumError extends Error {
  constructor(file: string) {
    super(`${file}: pixel bytes do not match the checksum in its header (damaged)`)
    this.name = 'DecodedChecksumError'
  }
}

export interface DecodedFileEntry {
  /** path relative to the dataset root */
  path: string
  origWidth: number
  origHeight: number
  /** false: unreadable image (no pixels stored), reason given */
  ok: boolean
  reason?: string
}

export interface DecodedFileHeader {
  version: number
  datasetId: string
  side: number
  /** total pixel bytes after the header */
  bytes: number
  /** sha256 (hex) of the pixel bytes; set by writeDecodedFile */
  sha256?: string
  entries: DecodedFileEntry[]
}

/** Contiguous pixel ranges to write or fill, in file order. */
export type PixelChunks = Uint8Array[]

/** Write atomically (util/atomic-write.ts). */
export async function writeDecodedFile(file: string, header: DecodedFileHeader, chunks: PixelChunks): Promise<void> {
  const sha = createHash('sha256')
  for (const c of chunks) sha.update(c)
  const json = Buffer.from(JSON.stringify({...header, sha256: sha.digest('hex')}))
  const pre = Buffer.alloc(pad8(12 + json.length))
  pre.write(MAGIC, 0, 'latin1')
  pre.writeUInt32LE(json.length, 8)
  json.copy(pre, 12)
  await writeFileAtomic(file, [pre, ...chunks])
}

/** The header, or undefined if the file is missing, foreign or truncated. */
export async function readDecodedHeader(file: string): Promise<{header: DecodedFileHeader; dataStart: number} | undefined> {
  let fh
  try {
    fh = await open(file, 'r')
  } catch {
    return undefined
  }
  try {
    const pre = Buffer.alloc(12)
    if ((await fh.read(pre, 0, 12, 0)).bytesRead !== 12 || pre.toString('latin1', 0, 8) !== MAGIC) return undefined
    const len = pre.readUInt32LE(8)
    const json = Buffer.alloc(len)
    if ((await fh.read(json, 0, len, 12)).bytesRead !== len) return undefined
    const header = JSON.parse(json.toString('utf8')) as DecodedFileHeader
    const dataStart = pad8(12 + len)
    if (header.version !== DECODED_FILE_VERSION || (await fh.stat()).size !== dataStart + header.bytes) return undefined
    return {header, dataStart}
  } catch {
    return undefined
  } finally {
    await fh.close()
  }
}

/**
 * Fill the chunks from the file's pixel section (they must add up to header.bytes);
 * throws DecodedChecksumError when they do not hash to `sha256`.
 */
export async function readDecodedPixels(file: string, dataStart: number, chunks: PixelChunks, sha256?: string): Promise<void> {
  const fh = await open(file, 'r')
  const sha = createHash('sha256')
  try {
    let pos = dataStart
    for (const c of chunks) {
      let done = 0
      while (done < c.length) {
        const {bytesRead} = await fh.read(c, done, c.length - done, pos + done)
        if (bytesRead === 0) throw new Error(`${file}: unexpected end of file`)
        done += bytesRead
      }
      pos += c.length
      sha.update(c)
    }
    if (sha256 !== undefined && sha.digest('hex') !== sha256) throw new DecodedChecksumError(file)
  } finally {
    await fh.close()
  }
}

function pad8(n: number): number {
  return Math.ceil(n / 8) * 8
}
