// A small seeded PRNG (xoshiro128**, seeded through splitmix32) so that weight
// init and dropout masks are reproducible without relying on tfjs internals.
// Streams are keyed by (seed, label) so one layer's draws never depend on another's.
// The fill loops keep the state in locals: paper-scale fc6 alone is 103M draws.

function splitmix32(state: number): [next: number, out: number] {
  const next = (state + 0x9e3779b9) | 0
  let z = next
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return [next, (z ^ (z >>> 16)) >>> 0]
}

/** FNV-1a over the label mixed with the seed: a 32-bit stream key. */
function streamKey(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ (seed | 0) ^ Math.floor(seed / 0x100000000)
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193)
  return h >>> 0
}

const TWO_POW_32 = 0x100000000

export class Rng {
  private readonly s = new Int32Array(4)

  constructor(seed: number, label = '') {
    let st = streamKey(seed, label)
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitmix32(st)
      st = next
      this.s[i] = out
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1
  }

  /** Fill with uniform draws in [lo, hi). */
  fillUniform(out: Float32Array, lo = 0, hi = 1): void {
    let s0 = this.s[0], s1 = this.s[1], s2 = this.s[2], s3 = this.s[3]
    const scale = (hi - lo) / TWO_POW_32
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
        u = (2 * r) / TWO_POW_32 - 1
        r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0
        t = s1 << 9
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11)
        v = (2 * r) / TWO_POW_32 - 1
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
