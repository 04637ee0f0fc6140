// Weight initialisers (host-side, seeded): the paper's N(0, std^2) for net A,
// Glorot & Bengio's uniform, and He et al.'s N(0, 2/fan_in) (optionally only for the convs,
// with the FC layers at a fixed std, as torchvision's VGG). Biases are zero in both (paper, section 3.1).
import {Rng} from '../util/prng.js'
import type {InitSpec} from './types.js'

/** Fan-in / fan-out of a conv [k,k,in,out] or FC [in,out] kernel (Keras convention). */
export function fans(shape: readonly number[]): [fanIn: number, fanOut: number] {
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1)
  return [receptive * shape[shape.length - 2], receptive * shape[shape.length - 1]]
}

/** Kernel values for one layer; the stream is keyed by (seed, variable name). */
export function initKernel(name: string, shape: readonly number[], init: InitSpec, seed: number): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1)
  const out = new Float32Array(size)
  const rng = new Rng(seed, name)
  if (init.kind === 'normal') {
    if (!(init.std > 0)) throw new Error(`init std must be > 0, got ${init.std}`)
    rng.fillNormal(out, init.std)
  } else if (init.kind === 'he') {
    // an FC kernel is [in, out]; with fcStd it keeps a fixed small std (He on the FC layers
    // of a net fed 0-255 pixels gives logits in the tens: measured to diverge at lr 0.01)
    const fc = shape.length === 2 && init.fcStd !== undefined
    rng.fillNormal(out, fc ? init.fcStd! : Math.sqrt(2 / fans(shape)[0]))
  } else {
    const [fanIn, fanOut] = fans(shape)
    const limit = Math.sqrt(6 / (fanIn + fanOut))
    rng.fillUniform(out, -limit, limit)
  }
  return out
}
