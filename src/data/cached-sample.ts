// Worker side of the decoded-image cache: fill a slot once (decode + rescale to the
// cache size), then cut every later training crop from the shared uint8 pixels.
import {readFile} from 'node:fs/promises'
import type {AugmentDraw} from './augment.js'
import {openImage, shorterSideTo, toRgb} from './decode.js'
import {CorruptImageError} from './errors.js'
import {resizeCrop} from './resize-crop.js'
import {cropOffset} from './train-sample.js'

/** Slot states in SharedPixels.state (Int32, one per cache entry). */
export const SLOT_EMPTY = 0
export const SLOT_READY = 1
export const SLOT_CORRUPT = 2

/** The cache memory, shared (not copied) with every worker. */
export interface SharedPixels {
  segments: SharedArrayBuffer[]
  state: SharedArrayBuffer
}

/** Where one image lives in the cache and its sizes. */
export interface CacheSlot {
  entry: number
  segment: number
  offset: number
  /** cached size: shorter side = the cache's side */
  width: number
  height: number
  /** stored size of the original file (crop geometry is computed from it) */
  origWidth: number
  origHeight: number
}

/** The slot's pixels are there (published by whichever worker decoded them). */
export function slotReady(slot: CacheSlot, cache: SharedPixels): boolean {
  return Atomics.load(new Int32Array(cache.state), slot.entry) === SLOT_READY
}

/** Decode the file into its slot; a failure marks the slot corrupt and throws CorruptImageError. */
export async function fillSlot(path: string, slot: CacheSlot, cache: SharedPixels): Promise<void> {
  const state = new Int32Array(cache.state)
  let px: Buffer
  try {
    const buf = await readFile(path)
    // Same resampling as the uncached path (shrink-on-load), so for a fixed S the
    // cached image is exactly the image the uncached path crops from.
    const rgb = await toRgb(openImage(buf).resize(slot.width, slot.height, {fit: 'fill', fastShrinkOnLoad: true}))
    if (rgb.width !== slot.width || rgb.height !== slot.height) throw new Error(`got ${rgb.width}x${rgb.height}, wanted ${slot.width}x${slot.height}`)
    px = rgb.data
  } catch (e) {
    Atomics.store(state, slot.entry, SLOT_CORRUPT)
    throw new CorruptImageError(path, e instanceof Error ? e.message : String(e))
  }
  // Two workers may fill the same slot (an abandoned epoch's job still running): both
  // write identical bytes, and READY is published only after the bytes.
  new Uint8Array(cache.segments[slot.segment], slot.offset, px.length).set(px)
  Atomics.store(state, slot.entry, SLOT_READY)
}

/**
 * Writes crop*crop*3 floats (HWC) at out[offset] from a READY slot. The rescaled size
 * and crop box come from the original file's size and the draw, exactly as in
 * loadTrainSample; only the pixels differ for a jittered S < side, which are resampled
 * from the cached (already once reduced) image rather than from the original: a small,
 * accepted difference (two resamplings instead of one; see the README's data section).
 */
export function sampleFromSlot(slot: CacheSlot, cache: SharedPixels, draw: AugmentDraw, crop: number, out: Float32Array, offset: number): void {
  const size = shorterSideTo(slot.origWidth, slot.origHeight, draw.s)
  const px = new Uint8Array(cache.segments[slot.segment], slot.offset, slot.width * slot.height * 3)
  resizeCrop(
    px,
    {
      width: slot.width,
      height: slot.height,
      targetWidth: size.width,
      targetHeight: size.height,
      left: cropOffset(size.width, crop, draw.ux),
      top: cropOffset(size.height, crop, draw.uy),
      crop,
      flip: draw.flip,
    },
    draw.add,
    out,
    offset,
  )
}
