// Seeded counter-based randomness: every draw is a pure function of its key
// (seed, epoch, position, ...), so results never depend on worker timing and a
// resumed run reproduces the same batches.

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

/** Uniform generator in [0, 1): a Weyl sequence passed through mix32 (splitmix32 style). */
export function uniformRng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x9e3779b9) >>> 0
    return mix32(state) / TWO32
  }
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
