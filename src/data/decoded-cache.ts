// Decoded-image cache for training: every training image decoded once into uint8 RGB
// with shorter side = the stream's scaleMax, in SharedArrayBuffers the decode workers
// read without copies. Workers fill slots on first use (so the first epoch costs what
// decoding always cost); later epochs, and later nets and runs with the same side (via
// <cache>/datasets/<id>/decoded-<side>.bin), only crop. Main-thread part: layout, memory
// cap, disk load/save.
import {mkdir, readFile} from 'node:fs/promises'
import path from 'node:path'
import {SLOT_CORRUPT, SLOT_EMPTY, SLOT_READY, type CacheSlot, type SharedPixels} from './cached-sample.js'
import {imageSize, shorterSideTo} from './decode.js'
import {DECODED_FILE_VERSION, readDecodedHeader, readDecodedPixels, writeDecodedFile, type DecodedFileEntry} from './decoded-cache-file.js'
import {oneLine} from './errors.js'
import type {Sample} from './image-folder.js'

export interface DecodedCacheOptions {
  datasetId: string
  /** dataset root: entries are stored by path relative to it */
  root: string
  /** shorter side of the cached images (the stream's scaleMax) */
  side: number
  maxBytes: number
  /** dataset cache folder for decoded-<side>.bin; undefined: memory only */
  dir?: string
}

// Segments bound each SharedArrayBuffer; an entry never straddles two.
const SEGMENT_BYTES = 1 << 30
// Concurrent header reads when sizing a fresh cache (sharp runs them on libuv's pool).
const SCAN_CONCURRENCY = 8

export class DecodedCache {
  readonly shared: SharedPixels
  private readonly state: Int32Array
  private saving: Promise<void> | undefined
  saveError: string | undefined
  /** why a saved file was not used (damaged): it is decoded again and rewritten */
  rebuilt: string | undefined

  private constructor(
    private readonly o: DecodedCacheOptions,
    private readonly entries: DecodedFileEntry[],
    private readonly slots: CacheSlot[],
    readonly bytes: number,
    readonly fromDisk: boolean,
  ) {
    const used = new Map<number, number>()
    for (const s of slots) used.set(s.segment, Math.max(used.get(s.segment) ?? 0, s.offset + s.width * s.height * 3))
    const segments = Array.from({length: used.size}, (_, i) => new SharedArrayBuffer(used.get(i)!))
    this.shared = {segments, state: new SharedArrayBuffer(4 * Math.max(1, entries.length))}
    this.state = new Int32Array(this.shared.state)
    entries.forEach((e, i) => {
      if (!e.ok) this.state[i] = SLOT_CORRUPT
    })
  }

  /** A cache for these samples, or why there is none (over the memory cap). */
  static async open(samples: Sample[], o: DecodedCacheOptions): Promise<DecodedCache | {off: string}> {
    const file = o.dir === undefined ? undefined : decodedFile(o.dir, o.side)
    const onDisk = file === undefined ? undefined : await readDecodedHeader(file)
    const rel = samples.map((s) => path.relative(o.root, s.path))
    const h = onDisk?.header
    const reusable =
      h !== undefined &&
      h.datasetId === o.datasetId &&
      h.side === o.side &&
      h.entries.length === rel.length &&
      h.entries.every((e, i) => e.path === rel[i])
    const entries = reusable ? h.entries : await scanSizes(samples, rel)
    const {slots, bytes} = layout(entries, o.side)
    if (bytes > o.maxBytes) {
      return {off: `decoded cache needs ${mb(bytes)} MB, over the ${mb(o.maxBytes)} MB cap: decoding every epoch`}
    }
    let rebuilt: string | undefined
    if (reusable && bytes === h.bytes) {
      const cache = new DecodedCache(o, entries, slots, bytes, true)
      try {
        if (h.sha256 === undefined) throw new Error(`${file}: no checksum`)
        await readDecodedPixels(file!, onDisk!.dataStart, cache.chunks(), h.sha256)
        entries.forEach((e, i) => {
          if (e.ok) cache.state[i] = SLOT_READY
        })
        return cache
      } catch (e) {
        // Damaged, or replaced or cut meanwhile: decode afresh and rewrite it.
        rebuilt = `${oneLine(e instanceof Error ? e.message : String(e))}: decoding the images again`
      }
    }
    const cache = new DecodedCache(o, entries, slots, bytes, false)
    cache.rebuilt = rebuilt
    return cache
  }

  slot(i: number): CacheSlot | undefined {
    return this.entries[i].ok ? this.slots[i] : undefined
  }

  /** Known reason the image is unreadable (from its header or an earlier decode). */
  corruptReason(i: number): string | undefined {
    return this.entries[i].ok ? undefined : this.entries[i].reason
  }

  /** A worker failed to decode entry i: remember why, so it is never decoded again. */
  markCorrupt(i: number, reason: string): void {
    this.entries[i] = {...this.entries[i], ok: false, reason}
  }

  /** Every entry decoded or known corrupt. */
  complete(): boolean {
    for (let i = 0; i < this.entries.length; i++) {
      const s = Atomics.load(this.state, i)
      if (s === SLOT_EMPTY || (s === SLOT_CORRUPT && this.entries[i].ok)) return false
    }
    return true
  }

  /**
   * Start writing decoded-<side>.bin once the cache is complete (once per cache; a
   * loaded file is not rewritten). Runs in the background; close() awaits it.
   */
  saveWhenComplete(): void {
    if (this.saving !== undefined || this.o.dir === undefined || this.fromDisk || !this.complete()) return
    const dir = this.o.dir
    const header = {version: DECODED_FILE_VERSION, datasetId: this.o.datasetId, side: this.o.side, bytes: this.bytes, entries: this.entries}
    this.saving = mkdir(dir, {recursive: true})
      .then(() => writeDecodedFile(decodedFile(dir, this.o.side), header, this.chunks()))
      .catch((e: unknown) => {
        // A full disk only costs the next run its decoding: not an error for training.
        this.saveError = oneLine(e instanceof Error ? e.message : String(e))
      })
  }

  /** Resolves when a background save (if any) has finished. */
  async settled(): Promise<void> {
    await this.saving
  }

  private chunks(): Uint8Array[] {
    return this.shared.segments.map((s) => new Uint8Array(s))
  }
}

export function decodedFile(dir: string, side: number): string {
  return path.join(dir, `decoded-${side}.bin`)
}

/** Original sizes from the file headers; unreadable headers mark the entry corrupt. */
async function scanSizes(samples: Sample[], rel: string[]): Promise<DecodedFileEntry[]> {
  const out: DecodedFileEntry[] = new Array(samples.length)
  let next = 0
  const run = async () => {
    while (next < samples.length) {
      const i = next++
      try {
        const {width, height} = await imageSize(await readFile(samples[i].path))
        out[i] = {path: rel[i], origWidth: width, origHeight: height, ok: true}
      } catch (e) {
        out[i] = {path: rel[i], origWidth: 0, origHeight: 0, ok: false, reason: oneLine(e instanceof Error ? e.message : String(e))}
      }
    }
  }
  await Promise.all(Array.from({length: SCAN_CONCURRENCY}, run))
  return out
}

/** Entries back to back in order, a new segment whenever one would overflow. */
function layout(entries: DecodedFileEntry[], side: number): {slots: CacheSlot[]; bytes: number} {
  const slots: CacheSlot[] = []
  let segment = 0
  let offset = 0
  let bytes = 0
  entries.forEach((e, entry) => {
    // Sized from the header alone (0 when it was unreadable), so an entry found corrupt
    // later keeps its space and a saved file's layout is recomputed identically.
    const {width, height} = e.origWidth > 0 ? shorterSideTo(e.origWidth, e.origHeight, side) : {width: 0, height: 0}
    const size = width * height * 3
    if (offset > 0 && offset + size > SEGMENT_BYTES) {
      segment++
      offset = 0
    }
    slots.push({entry, segment, offset, width, height, origWidth: e.origWidth, origHeight: e.origHeight})
    offset += size
    bytes += size
  })
  return {slots, bytes}
}

function mb(bytes: number): number {
  return Math.round(bytes / 1e6)
}
