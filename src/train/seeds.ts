// Dropout seeds as a pure function of (seed, epoch, step): a resumed run draws the
// same dropout masks as an uninterrupted one without saving any RNG state.
import {mix32} from '../util/prng.js'

/** A 32-bit integer mixing of the three inputs (murmur3's finaliser, util/prng.ts). */
export function dropoutSeed(seed: number, epoch: number, step: number): number {
  let h = mix32(0x9e3779b9 ^ (seed >>> 0))
  h = mix32(h ^ (epoch >>> 0))
  h = mix32(h ^ (step >>> 0))
  // Positive and non-zero: tfjs turns the seed into a string for its PRNG.
  return (h >>> 1) + 1
}

/** What checkpoints record about randomness (the data module derives its draws from the seed). */
export const RNG_SCHEME = 'dropout=mix32(seed,epoch,step); data=(seed,epoch,position) in src/data'
