// 95% Wilson score interval for a binomial proportion: unlike the normal
// approximation it stays inside [0, 1] and behaves at 0 or n errors and small n.

/** Two-sided 95% normal quantile. */
export const Z95 = 1.959963984540054

/**
 * Wilson interval for `errors` out of `n`, as fractions in [0, 1].
 * n = 0 carries no information: the whole range [0, 1].
 */
export function wilsonInterval(errors: number, n: number, z = Z95): [number, number] {
  if (n === 0) return [0, 1]
  if (errors < 0 || errors > n) throw new RangeError(`wilsonInterval: errors=${errors} outside 0..${n}`)
  const p = errors / n
  const z2 = z * z
  const denom = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denom
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  // Clamp the float round-off at the exact ends (0 or n errors).
  return [Math.max(0, centre - half), Math.min(1, centre + half)]
}

/** The same interval in percent. */
export function wilsonPercent(errors: number, n: number): [number, number] {
  const [lo, hi] = wilsonInterval(errors, n)
  return [lo * 100, hi * 100]
}
