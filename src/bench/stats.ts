// Robust summaries of repeated timings: medians after warm-up, not means.

export interface TimingSummary {
  /** timed samples (after warm-up) */
  n: number
  median: number
  min: number
  max: number
  /** 25th / 75th percentiles (linear interpolation) */
  p25: number
  p75: number
}

/** The q-quantile (0..1) of unsorted values, linear interpolation between order statistics. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile of an empty list')
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be in [0, 1], got ${q}`)
  const s = [...values].sort((a, b) => a - b)
  const pos = q * (s.length - 1)
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return s[lo] + (s[hi] - s[lo]) * (pos - lo)
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5)
}

export function summarize(values: readonly number[]): TimingSummary {
  return {
    n: values.length,
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    p25: quantile(values, 0.25),
    p75: quantile(values, 0.75),
  }
}

/** Images per second from a median step time in ms. */
export function imagesPerSecond(batch: number, stepMs: number): number {
  return stepMs > 0 ? (1000 * batch) / stepMs : 0
}
