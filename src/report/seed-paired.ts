// The noise of a comparison over k seeds per net [issue 20]: seed i of the subject row
// is compared with seed i of the reference row, image by image, on the same n images.
// With x_ij the per-image difference of seed i on image j (in {-1, 0, 1}, or a mean of
// such over a claim's comparisons), the effect is the mean of all x_ij, and the x_ij form
// a two-way table (seeds x images):
//
//   x_ij = mu + a_i + b_j + r_ij     a: the training run (seed i's nets), b: the image,
//                                    r: how seed i's nets differ about image j
//   Var(mean) = s_a^2 / k + s_b^2 / n + s_r^2 / (k n)
//
// Its mean squares (MS_seeds = n x var of the seed means, MS_images = k x var of the
// image means, MS_residual = the rest) have expectations s_r^2 + n s_a^2, s_r^2 + k s_b^2
// and s_r^2, so Var(mean) = (MS_seeds + MS_images - MS_residual) / (k n), split as:
// - training runs: MS_seeds / (k n) = SD(per-seed differences)^2 / k, with k - 1 degrees of
//   freedom. It holds s_a^2 / k and the per-image disagreement of seeds s_r^2 / (k n);
// - image sample: (MS_images - MS_residual) / (k n) = s_b^2 / n, the per-image variance all
//   seeds share (floored at 0). Adding the plain per-image standard error of the
//   seed-averaged differences instead (MS_images / (k n)) would count s_r^2 / (k n) twice.
// The unbiased components (floored at 0) are kept for the power projection: at k' seeds
// and n' images the same comparison would have variance s_a^2/k' + s_b^2/n' + s_r^2/(k' n').

/** Variance components of one seed x image cell, in squared points. */
export interface SeedComponents {
  /** s_a^2: between training runs */
  seed: number
  /** s_b^2: between images, shared by every seed */
  image: number
  /** s_r^2: seeds disagreeing about an image */
  residual: number
}

export interface SeedPairedNoise {
  /** mean over seeds and images, in points */
  mean: number
  /** each seed's mean over the images, in points */
  perSeed: number[]
  /** standard errors of the mean, in points: training runs, image sample */
  seSeed: number
  seSample: number
  /** degrees of freedom behind seSeed: k - 1 */
  seedDof: number
  components: SeedComponents
  seeds: number
  images: number
}

/** The two-way split of `x` (one array per seed, all of the same length n >= 2; k >= 2). */
export function seedPairedNoise(x: readonly ArrayLike<number>[]): SeedPairedNoise {
  const k = x.length
  const n = x[0]?.length ?? 0
  if (k < 2) throw new Error(`seedPairedNoise: needs at least 2 seeds, got ${k}`)
  if (n < 2 || x.some((row) => row.length !== n)) throw new Error('seedPairedNoise: every seed needs the same n >= 2 images')
  const seedMean = x.map((row) => {
    let s = 0
    for (let j = 0; j < n; j++) s += row[j]
    return s / n
  })
  const imageMean = new Float64Array(n)
  for (const row of x) for (let j = 0; j < n; j++) imageMean[j] += row[j] / k
  const grand = seedMean.reduce((a, b) => a + b, 0) / k
  let ssSeed = 0
  for (const m of seedMean) ssSeed += n * (m - grand) ** 2
  let ssImage = 0
  for (let j = 0; j < n; j++) ssImage += k * (imageMean[j] - grand) ** 2
  let ssResidual = 0
  for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) ssResidual += (x[i][j] - seedMean[i] - imageMean[j] + grand) ** 2
  const msSeed = ssSeed / (k - 1)
  const msImage = ssImage / (n - 1)
  const msResidual = ssResidual / ((k - 1) * (n - 1))
  // points: the x are fractions of one image
  const P2 = 100 ** 2
  return {
    mean: 100 * grand,
    perSeed: seedMean.map((m) => 100 * m),
    seSeed: 100 * Math.sqrt(msSeed / (k * n)),
    seSample: 100 * Math.sqrt(Math.max(0, msImage - msResidual) / (k * n)),
    seedDof: k - 1,
    components: {seed: (P2 * Math.max(0, msSeed - msResidual)) / n, image: (P2 * Math.max(0, msImage - msResidual)) / k, residual: P2 * msResidual},
    seeds: k,
    images: n,
  }
}

/** Training-run standard error of a mean over k per-seed values (points): their SD / sqrt(k). */
export function perSeedSe(values: readonly number[]): number {
  const k = values.length
  if (k < 2) throw new Error(`perSeedSe: needs at least 2 seeds, got ${k}`)
  const m = values.reduce((a, b) => a + b, 0) / k
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (k - 1) / k)
}
