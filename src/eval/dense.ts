// Dense evaluation of a group of same-size images (paper 3.2): the fully-convolutional
// net on the whole image and its horizontal flip, class score map spatially averaged,
// soft-max, then the two posteriors averaged.
//
// Five 2x2/2 VALID max-pools only see whole 32-pixel cells: an image whose sides are
// not multiples of 32 would lose its last (side mod 32) rows and columns, with the
// score map's windows anchored top-left. So each image is first zero-padded (zero is
// the mean colour: images are mean-subtracted) up to the next multiple of 32, the
// margin split evenly between the two sides: the windows then cover every pixel and
// lie symmetric about the image centre (the paper's Caffe pools rounded up instead,
// covering the image with a partial last window).
import * as tf from '@tensorflow/tfjs-core'
import type {EvalNet} from './types.js'

export const DENSE_CELL = 32

export interface Padding {
  top: number
  bottom: number
  left: number
  right: number
}

/** Zero padding of an H x W image for dense evaluation (odd margins put the extra pixel bottom / right). */
export function densePadding(height: number, width: number): Padding {
  const pad = (side: number) => {
    const total = (DENSE_CELL - (side % DENSE_CELL)) % DENSE_CELL
    return [Math.floor(total / 2), total - Math.floor(total / 2)]
  }
  const [top, bottom] = pad(height)
  const [left, right] = pad(width)
  return {top, bottom, left, right}
}

/** Size of the padded input the net sees. */
export function paddedSize(height: number, width: number): {height: number; width: number} {
  const p = densePadding(height, width)
  return {height: height + p.top + p.bottom, width: width + p.left + p.right}
}

/**
 * The crop-sized windows of the class score map in image coordinates (may start
 * before 0 or end past the image, by the padding): row i, column j of the map is the
 * window at (ys[i], xs[j]).
 */
export function denseWindows(height: number, width: number, crop: number): {ys: number[]; xs: number[]} {
  const p = densePadding(height, width)
  const {height: hp, width: wp} = paddedSize(height, width)
  const starts = (padded: number, before: number) =>
    Array.from({length: Math.max(0, (padded - crop) / DENSE_CELL + 1)}, (_, i) => i * DENSE_CELL - before)
  return {ys: starts(hp, p.top), xs: starts(wp, p.left)}
}

/**
 * How the image is fitted to whole 32-pixel cells before the dense pass:
 * - 'pad': zero-pad evenly up to the next multiple of 32 (every pixel covered, windows symmetric);
 * - 'reflect': the same with mirrored image content instead of zeros;
 * - 'crop': crop evenly down to the previous multiple of 32 (windows symmetric, the margin dropped);
 * - 'anchors': average the posteriors of the four corner-anchored crops of that size
 *   (every pixel covered by real content, the anchor set symmetric);
 * - 'top-left': the bare net (VALID pools drop the last side mod 32 pixels): before issue 10.
 * docs/subset-protocol.md measures them; DEFAULT_DENSE_FIT is the one the tables use.
 */
export type DenseFit = 'pad' | 'reflect' | 'crop' | 'anchors' | 'top-left'
export const DENSE_FITS: readonly DenseFit[] = ['pad', 'reflect', 'crop', 'anchors', 'top-left']
export const DEFAULT_DENSE_FIT: DenseFit = 'pad'

/** Inputs the net sees for one image of H x W under a fit (the anchors' offsets, or one padded/cropped input). */
export function denseInputs(height: number, width: number, fit: DenseFit): {height: number; width: number; offsets: {y: number; x: number}[]} {
  const floor = (side: number) => side - (side % DENSE_CELL)
  if (fit === 'pad' || fit === 'reflect') return {...paddedSize(height, width), offsets: [{y: 0, x: 0}]}
  if (fit === 'top-left') return {height, width, offsets: [{y: 0, x: 0}]}
  const [hc, wc] = [floor(height), floor(width)]
  if (fit === 'crop') return {height: hc, width: wc, offsets: [{y: Math.floor((height - hc) / 2), x: Math.floor((width - wc) / 2)}]}
  const ys = [...new Set([0, height - hc])]
  const xs = [...new Set([0, width - wc])]
  return {height: hc, width: wc, offsets: ys.flatMap((y) => xs.map((x) => ({y, x})))}
}

/**
 * [B,H,W,3] -> soft-max posteriors [B, classes] (image and flip averaged, and the
 * anchors for 'anchors'). Image and flip normally go through in one call of 2B;
 * `separateFlip` runs them as two calls of B when even two samples exceed the memory
 * budget (large Q).
 */
export function densePosteriors(net: EvalNet, images: tf.Tensor4D, separateFlip = false, fit: DenseFit = DEFAULT_DENSE_FIT): tf.Tensor2D {
  const [b, h, w, ch] = images.shape
  const probsOf = (x: tf.Tensor4D) => tf.tidy(() => tf.softmax(tf.mean(net.denseScoreMap(x), [1, 2]) as tf.Tensor2D))
  const flipAveraged = (x: tf.Tensor4D): tf.Tensor2D => {
    if (separateFlip) {
      const plain = probsOf(x)
      const flipped = tf.tidy(() => probsOf(tf.reverse(x, 2)))
      const out = tf.tidy(() => tf.div(tf.add(plain, flipped), 2) as tf.Tensor2D)
      tf.dispose([plain, flipped])
      return out
    }
    return tf.tidy(() => {
      const probs = probsOf(tf.concat([x, tf.reverse(x, 2)], 0) as tf.Tensor4D)
      return tf.mean(tf.reshape(probs, [2, b, probs.shape[1]]), 0) as tf.Tensor2D
    })
  }
  const inputs = denseInputs(h, w, fit)
  const parts = inputs.offsets.map(({y, x}) => {
    const input = fitInput(images, fit, inputs, y, x, ch)
    try {
      return flipAveraged(input)
    } finally {
      if (input !== images) input.dispose()
    }
  })
  if (parts.length === 1) return parts[0]
  const out = tf.tidy(() => tf.div(tf.addN(parts), parts.length) as tf.Tensor2D)
  tf.dispose(parts)
  return out
}

function fitInput(images: tf.Tensor4D, fit: DenseFit, size: {height: number; width: number}, y: number, x: number, ch: number): tf.Tensor4D {
  const [b, h, w] = images.shape
  if (fit === 'top-left' || (size.height === h && size.width === w)) return images
  if (fit === 'pad' || fit === 'reflect') {
    const p = densePadding(h, w)
    const paddings: [number, number][] = [[0, 0], [p.top, p.bottom], [p.left, p.right], [0, 0]]
    // Mirror padding needs a margin smaller than the side; a margin is at most 31 and Q >= 32.
    return fit === 'pad' ? tf.pad(images, paddings) : tf.mirrorPad(images, paddings, 'reflect')
  }
  return tf.slice(images, [0, y, x, 0], [b, size.height, size.width, ch])
}

/** The images padded as densePadding says (the same tensor when no padding is needed). */
export function padForDense(images: tf.Tensor4D): tf.Tensor4D {
  const [, h, w] = images.shape
  const p = densePadding(h, w)
  if (p.top + p.bottom + p.left + p.right === 0) return images
  return tf.pad(images, [[0, 0], [p.top, p.bottom], [p.left, p.right], [0, 0]])
}
