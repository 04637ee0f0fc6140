// Mean and sample standard deviation for the measurement scripts (the tool's own are in
// src/report/): NaN where they are undefined (no values; one value for the SD), so a
// summary shows "NaN" rather than a made-up 0.
export const mean = (xs) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length)

export function sd(xs) {
  if (xs.length < 2) return NaN
  const m = mean(xs)
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1))
}
