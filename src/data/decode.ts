// Shared sharp plumbing: open an encoded image and read it back as 8-bit sRGB, 3 channels.
import sharp, {type Sharp} from 'sharp'

// 'error' rejects truncated/corrupt data but tolerates benign libjpeg warnings
// (e.g. "extraneous bytes before marker", present in a few ImageNet files).
const FAIL_ON = 'error' as const

/** A sharp pipeline over an encoded image buffer. */
export function openImage(buf: Buffer): Sharp {
  return sharp(buf, {failOn: FAIL_ON})
}

/** Stored pixel size (EXIF orientation is ignored, like PIL/torchvision). */
export async function imageSize(buf: Buffer): Promise<{width: number; height: number}> {
  const m = await openImage(buf).metadata()
  if (!m.width || !m.height) throw new Error('no image dimensions')
  return {width: m.width, height: m.height}
}

/** Size after an isotropic rescale that makes the shorter side equal to s. */
export function shorterSideTo(width: number, height: number, s: number): {width: number; height: number} {
  if (width <= height) return {width: s, height: Math.max(s, Math.round((height * s) / width))}
  return {width: Math.max(s, Math.round((width * s) / height)), height: s}
}

/**
 * Finish a pipeline as raw 8-bit RGB: grayscale/CMYK become sRGB, alpha is dropped
 * (like PIL's convert('RGB')), and the channel count is checked.
 */
export async function toRgb(img: Sharp): Promise<{data: Buffer; width: number; height: number}> {
  const {data, info} = await img
    .removeAlpha()
    .toColourspace('srgb')
    .raw({depth: 'uchar'})
    .toBuffer({resolveWithObject: true})
  if (info.channels !== 3 || data.length !== info.width * info.height * 3) {
    throw new Error(`unexpected decoded layout: ${info.width}x${info.height}x${info.channels}`)
  }
  return {data, width: info.width, height: info.height}
}
