// Decode one training sample: rescale (shorter side S), random crop, flip, colour
// shift and mean subtraction, written straight into a batch buffer. This is the path
// without the decoded-image cache (cache off or over its memory cap); cached-sample.ts
// cuts the same crop boxes from cached pixels.
import {readFile} from 'node:fs/promises'
import type {AugmentDraw} from './augment.js'
import {imageSize, openImage, shorterSideTo, toRgb} from './decode.js'
import {CorruptImageError} from './errors.js'

/** Crop origin inside a size x size image for a uniform draw u in [0, 1). */
export function cropOffset(size: number, crop: number, u: number): number {
  return Math.min(size - crop, Math.floor(u * (size - crop + 1)))
}

/** Writes crop*crop*3 floats (HWC) at out[offset]; throws CorruptImageError for unreadable files. */
export async function loadTrainSample(path: string, draw: AugmentDraw, crop: number, out: Float32Array, offset: number): Promise<void> {
  let px: Buffer
  try {
    const buf = await readFile(path)
    const orig = await imageSize(buf)
    const size = shorterSideTo(orig.width, orig.height, draw.s)
    // Resize and crop inside libvips; shrink-on-load (JPEG DCT scaling / WebP) makes
    // big downscales cheap, and its small resampling difference is harmless for training.
    const left = cropOffset(size.width, crop, draw.ux)
    const top = cropOffset(size.height, crop, draw.uy)
    // sharp flops the whole image before extracting, so mirror the offset too: the
    // result is then exactly the mirror image of the unflipped crop.
    let img = openImage(buf).resize(size.width, size.height, {fit: 'fill', fastShrinkOnLoad: true})
    if (draw.flip) img = img.flop()
    img = img.extract({left: draw.flip ? size.width - crop - left : left, top, width: crop, height: crop})
    const rgb = await toRgb(img)
    if (rgb.width !== crop || rgb.height !== crop) throw new Error(`got ${rgb.width}x${rgb.height}, wanted ${crop}x${crop}`)
    px = rgb.data
  } catch (e) {
    throw new CorruptImageError(path, e instanceof Error ? e.message : String(e))
  }
  const [ar, ag, ab] = draw.add
  for (let i = 0; i < px.length; i += 3) {
    out[offset + i] = px[i] + ar
    out[offset + i + 1] = px[i + 1] + ag
    out[offset + i + 2] = px[i + 2] + ab
  }
}
