// All seeded randomness of the tool, with no reliance on tfjs or Math.random:
// - counter-based draws for the data (augmentation, shuffles, samples): every draw is
//   a pure function of its key (seed, epoch, position, ...) via hashKey, so results
//   never depend on worker timing and a resumed run reproduces the same batches;
// - Rng, a fast stream generator (xoshiro128**) for bulk fills (weight init, dropout
//   masks), keyed by (seed, label) so one layer's draws never depend on another's.
// Both build on splitmix32 (a Weyl sequence through mix32).

const TWO32 = 4294967296

/** murmur3's 32-bit finaliser: a good avalanche mix of one word. */
export function mix32(x: number): number {
  let h = x >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** Hash a tuple of non-negative integers (up to 2^53) into a 32-bit seed. */
export function hashKey(...parts: number[]): number {
  let h = 0x243f6a88
  for (const p of parts) {
    if (!Number.isSafeInteger(p) || p < 0) throw new RangeError(`hashKey: bad key part ${p}`)
    h = mix32(h ^ mix32(p % TWO32))
    h = mix32(h ^ mix32(Math.floor(p / TWO32) + 0x9e3779b9))
  }
  return h
}

/** splitmix32: a Weyl sequence passed through mix32; uint32 draws. */
export function splitmix32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x9e3779b9) >>> 0
    return mix32(state)
  }
}

/** Uniform generator in [0, 1) (splitmix32). */
export function uniformRng(seed: number): () => number {
  const next = splitmix32(seed)
  return () => next() / TWO32
}

/** Standard normal draw (Box-Muller) from a uniform generator. */
export function normal(next: () => number): number {
  const u1 = 1 - next() // (0, 1]: log stays finite
  const u2 = next()
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)
}

/** Uniform integer in [lo, hi] inclusive. */
export function uniformInt(next: () => number, lo: number, hi: number): number {
  return lo + Math.floor(next() * (hi - lo + 1))
}

/** Fisher-Yates permutation of 0..n-1 keyed by seed. */
export function permutation(n: number, seed: number): Uint32Array {
  const p = new Uint32Array(n)
  for (let i = 0; i < n; i++) p[i] = i
  const next = uniformRng(seed)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    const t = p[i]
    p[i] = p[j]
    p[j] = t
  }
  return p
}

/** FNV-1a over the label mixed with the seed: a 32-bit stream key. */
function streamKey(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ (seed | 0) ^ Math.floor(seed / 0x100000000)
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** xoshiro128** seeded from (seed, label); the fill loops keep the state in locals (paper-scale fc6 alone is 103M draws). */
export class Rng {
  private readonly s = new Int32Array(4)

  constructor(seed: number, label = '') {
    const next = splitmix32(streamKey(seed, label))
    for (let i = 0; i < 4; i++) this.s[i] = next()
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1
  }

  /** Fill with uniform draws in [lo, hi). */
  fillUniform(out: Float32Array, lo = 0, hi = 1): void {
    let s0 = this.s[0], s1 = this.s[1], s2 = this.s[2], s3 = this.s[3]
    const scale = (hi - lo) / TWO32
    for (let i = 0; i < out.length; i++) {
      // xoshiro128**
      const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0
      const t = s1 << 9
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11)
      out[i] = lo + r * scale
    }
    this.s[0] = s0; this.s[1] = s1; this.s[2] = s2; this.s[3] = s3
  }

  /** Fill with N(0, std^2) draws (Marsaglia's polar method, both values of a pair used). */
  fillNormal(out: Float32Array, std: number): void {
    let s0 = this.s[0], s1 = this.s[1], s2 = this.s[2], s3 = this.s[3]
    const n = out.length
    for (let i = 0; i < n; i += 2) {
      let u: number, v: number, q: number
      do {
        let r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0
        let t = s1 << 9
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11)
        u = (2 * r) / TWO32 - 1
        r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0
        t = s1 << 9
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11)
        v = (2 * r) / TWO32 - 1
        q = u * u + v * v
      } while (q >= 1 || q === 0)
      const f = std * Math.sqrt((-2 * Math.log(q)) / q)
      out[i] = u * f
      if (i + 1 < n) out[i + 1] = v * f
    }
    this.s[0] = s0; this.s[1] = s1; this.s[2] = s2; this.s[3] = s3
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
