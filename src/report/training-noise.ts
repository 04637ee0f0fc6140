// Training-run noise [issue 10]: how much a reproduced error moves when only the
// training seed changes (weight init, data order, augmentation, dropout). Measured
// on net A, the one net of the paper trained from scratch, trained with several seeds
// (profile `seedNoise`) and scored like Table 3 (dense, Q = S) and Table 4 (dense,
// Q = {S-32, S, S+32}). Two numbers come out, each a sample standard deviation over
// the seeds, in percentage points:
// - `between`: of the Table 3 error: the noise of one net's error. A comparison of two
//   separately trained nets gets sqrt(2) x this (two independent runs).
// - `within`: of the Table 4 minus Table 3 error: the noise of an evaluation-method
//   difference on the same trained net(s) (multi-scale vs single scale, multi-crop &
//   dense vs dense).
// Net A's noise stands for every net's (an assumption the report states).

export interface SeedRun {
  seed: number
  single?: {top1Err: number; top5Err: number}
  multi?: {top1Err: number; top5Err: number}
  /** the Table 3 score's posterior file (dense, Q = S): which images each seed gets wrong */
  posteriors?: string
}

export interface TrainingNoise {
  between: {top1: number; top5: number}
  within: {top1: number; top5: number}
  /** seeds with both evaluations */
  seeds: number
  runs: SeedRun[]
}

function sd(xs: number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1))
}

/** The measured noise, or why there is none (fewer than 2 seeds finished). */
export function measureTrainingNoise(runs: readonly SeedRun[]): TrainingNoise | {unavailable: string} {
  const done = runs.filter((r) => r.single !== undefined && r.multi !== undefined) as Required<SeedRun>[]
  if (runs.length === 0) return {unavailable: 'not measured (the profile sets no seedNoise)'}
  if (done.length < 2) return {unavailable: `${done.length} of ${runs.length} seed runs finished; at least 2 are needed`}
  const of = (k: 'top1Err' | 'top5Err') => ({
    between: sd(done.map((r) => r.single[k])),
    within: sd(done.map((r) => r.multi[k] - r.single[k])),
  })
  const t1 = of('top1Err')
  const t5 = of('top5Err')
  return {between: {top1: t1.between, top5: t5.between}, within: {top1: t1.within, top5: t5.within}, seeds: done.length, runs: [...runs]}
}

/** k >= 2 seeds per net: every comparison measures its own training-run noise (seed-paired.ts); A's probe is not used. */
export interface OwnSeedNoise {
  ownSeeds: number
  /** root mean square over Table 3 rows of the SD of a row's top-1 error over its seeds (points), when there are such rows */
  rowSd?: {top1: number; rows: number}
}

/** Where the claims' training-run noise comes from. */
export type NoiseSource = TrainingNoise | OwnSeedNoise | {unavailable: string}

/** Net A's seed probe measured it (k = 1). */
export function isProbeNoise(noise: NoiseSource | undefined): noise is TrainingNoise {
  return noise !== undefined && 'between' in noise
}

export function isOwnSeedNoise(noise: NoiseSource | undefined): noise is OwnSeedNoise {
  return noise !== undefined && 'ownSeeds' in noise
}
