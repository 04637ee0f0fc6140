// Tiny generated ImageFolder datasets for the data tests (no files from ../shared).
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import sharp, {type Sharp} from 'sharp'

export async function tempDir(prefix = 'vgg-data-'): Promise<{dir: string; cleanup(): Promise<void>}> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
  return {dir, cleanup: () => rm(dir, {recursive: true, force: true})}
}

type Rgb = [number, number, number]

export function solid(width: number, height: number, rgb: Rgb): Sharp {
  return sharp({create: {width, height, channels: 3, background: {r: rgb[0], g: rgb[1], b: rgb[2]}}})
}

/** A horizontal ramp: red grows left to right, so a flip is visible. */
export function ramp(width: number, height: number): Sharp {
  const px = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3
      px[i] = Math.round((255 * x) / (width - 1))
      px[i + 1] = 60
      px[i + 2] = 60
    }
  }
  return sharp(px, {raw: {width, height, channels: 3}})
}

async function put(file: string, data: Buffer): Promise<void> {
  await mkdir(path.dirname(file), {recursive: true})
  await writeFile(file, data)
}

export const TRUNCATED = 'train/b/truncated.jpg'
export const GARBAGE = 'train/b/garbage.JPG'

/**
 * Classes: a = red-dominant, b = blue-dominant, c = grey (R = G = B). Includes a
 * non-square JPEG, a grayscale PNG and JPEG, an RGBA WebP, a 16-bit PNG, upper-case
 * extensions, a truncated JPEG and a garbage file (both in train/b), plus files the
 * index must ignore (a .txt and a macOS ._ dotfile).
 */
export async function makeImageFolder(root: string): Promise<void> {
  const jpeg = (s: Sharp) => s.jpeg({quality: 95}).toBuffer()
  const png = (s: Sharp) => s.png().toBuffer()
  const files: [string, Promise<Buffer>][] = [
    ['train/a/wide.jpg', jpeg(solid(60, 40, [210, 40, 30]))],
    ['train/a/tall.JPEG', jpeg(solid(40, 70, [190, 60, 50]))],
    ['train/a/square.png', png(solid(48, 48, [220, 20, 20]))],
    ['train/a/ramp.png', png(ramp(64, 40).tint({r: 255, g: 0, b: 0}))],
    ['train/b/blue.jpg', jpeg(solid(50, 50, [30, 40, 200]))],
    ['train/b/alpha.webp', sharp({create: {width: 44, height: 52, channels: 4, background: {r: 20, g: 30, b: 220, alpha: 0.5}}}).webp({lossless: true}).toBuffer()],
    ['train/b/deep.png', solid(40, 40, [10, 20, 230]).png().toColourspace('rgb16').toBuffer()],
    ['train/c/gray.png', png(solid(45, 45, [128, 128, 128]).toColourspace('b-w'))],
    ['train/c/gray.jpg', jpeg(solid(36, 50, [90, 90, 90]).toColourspace('b-w'))],
    ['train/c/nested/deeper.png', png(solid(40, 40, [160, 160, 160]).toColourspace('b-w'))],
    ['val/a/v1.jpg', jpeg(solid(50, 40, [200, 50, 40]))],
    ['val/b/v2.png', png(solid(40, 64, [40, 40, 210]))],
    ['val/c/v3.jpg', jpeg(solid(40, 40, [100, 100, 100]).toColourspace('b-w'))],
  ]
  for (const [rel, data] of files) await put(path.join(root, rel), await data)
  // Noise, so the cut lands in the entropy-coded data rather than the header.
  const noise = Buffer.alloc(96 * 96 * 3)
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251
  const good = await jpeg(sharp(noise, {raw: {width: 96, height: 96, channels: 3}}))
  await put(path.join(root, TRUNCATED), good.subarray(0, Math.floor(good.length * 0.6)))
  await put(path.join(root, GARBAGE), Buffer.from('this is not a JPEG at all, just text'.repeat(10)))
  await put(path.join(root, 'train/a/notes.txt'), Buffer.from('ignored'))
  await put(path.join(root, 'train/a/._wide.jpg'), Buffer.from('AppleDouble junk'))
}

/** A dataset of solid PNG colours (lossless), for exact statistics. */
export async function makeSolidFolder(root: string, colours: Rgb[]): Promise<void> {
  for (const [i, c] of colours.entries()) {
    await put(path.join(root, `train/k/${i}.png`), await solid(10, 10, c).png().toBuffer())
  }
  await put(path.join(root, 'val/k/v.png'), await solid(10, 10, colours[0]).png().toBuffer())
}
