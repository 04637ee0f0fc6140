#!/usr/bin/env node
// Writes a small, learnable ImageFolder (train/<class>, val/<class>) of generated
// JPEGs: each class is a colour with a stripe pattern, plus noise and a random
// aspect ratio. For CI's smoke reproduction and for trying the tool without data.
//   node scripts/make-toy-imagefolder.mjs DIR [--classes 3] [--train 24] [--val 8]
import fs from 'node:fs'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import sharp from 'sharp'

const PALETTE = [
  [220, 40, 40],
  [40, 200, 60],
  [50, 70, 230],
  [230, 200, 40],
  [170, 60, 200],
  [40, 200, 210],
]

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

async function writeImage(file, cls, rand) {
  const width = 48 + Math.floor(rand() * 40)
  const height = 48 + Math.floor(rand() * 40)
  const [r, g, b] = PALETTE[cls % PALETTE.length]
  const period = 4 + 3 * cls
  const pixels = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const stripe = Math.floor((cls % 2 === 0 ? x : y) / period) % 2 === 0 ? 1 : 0.45
      const noise = (rand() - 0.5) * 60
      const i = (y * width + x) * 3
      pixels[i] = Math.max(0, Math.min(255, r * stripe + noise))
      pixels[i + 1] = Math.max(0, Math.min(255, g * stripe + noise))
      pixels[i + 2] = Math.max(0, Math.min(255, b * stripe + noise))
    }
  }
  await sharp(pixels, {raw: {width, height, channels: 3}}).jpeg({quality: 90}).toFile(file)
}

export async function makeToyImageFolder(dir, {classes = 3, train = 24, val = 8, seed = 7} = {}) {
  const rand = mulberry32(seed)
  for (const [split, count] of [['train', train], ['val', val]]) {
    for (let c = 0; c < classes; c++) {
      const classDir = path.join(dir, split, `class${c}`)
      fs.mkdirSync(classDir, {recursive: true})
      for (let i = 0; i < count; i++) await writeImage(path.join(classDir, `img${i}.jpg`), c, rand)
    }
  }
  return dir
}

if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
  const [dir, ...rest] = process.argv.slice(2)
  if (!dir) {
    console.error('usage: node scripts/make-toy-imagefolder.mjs DIR [--classes N] [--train N] [--val N]')
    process.exit(2)
  }
  const opt = (name, dflt) => {
    const i = rest.indexOf(`--${name}`)
    return i >= 0 ? Number(rest[i + 1]) : dflt
  }
  await makeToyImageFolder(dir, {classes: opt('classes', 3), train: opt('train', 24), val: opt('val', 8)})
  console.log(`wrote a toy ImageFolder to ${dir}`)
}
