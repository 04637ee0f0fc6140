// How often two seeds of one net disagree about an image [issue 10]. The paired
// standard error of a comparison of two nets comes from the images on which exactly one
// of them is wrong. If two seeds of the *same* net disagree about as often, that
// per-image noise is training-run noise: averaging several seeds per net shrinks it,
// and it is not a floor set by the number of images. The power projection uses the
// ratio of the two rates for that split.
import {pairingProblem, type PerImageErrors} from './per-image-errors.js'
import {readMatchingErrors} from './per-image-load.js'
import type {SeedRun} from './training-noise.js'

export interface SeedDiscordance {
  /** mean over seed pairs of the fraction of images exactly one of the two gets wrong (top-1) */
  rate: number
  pairs: number
}

/** Fraction of the images on which exactly one of a and b is wrong. */
export function discordance(a: Uint8Array, b: Uint8Array): number {
  let d = 0
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++
  return d / a.length
}

/** From the seed runs' posterior files; undefined when fewer than two can be read and paired (it then plays no part). */
export async function seedDiscordance(runs: readonly SeedRun[]): Promise<SeedDiscordance | undefined> {
  const errors: PerImageErrors[] = []
  for (const r of runs) {
    if (r.single === undefined) continue
    // Only the file the seed's score came from, on the images of the others.
    const e = await readMatchingErrors(r.posteriors, r.single)
    if ('unavailable' in e || (errors.length > 0 && pairingProblem(errors[0], e) !== undefined)) continue
    errors.push(e)
  }
  if (errors.length < 2) return undefined
  let sum = 0
  let pairs = 0
  for (let i = 0; i < errors.length; i++) {
    for (let j = i + 1; j < errors.length; j++) {
      sum += discordance(errors[i].top1, errors[j].top1)
      pairs++
    }
  }
  return {rate: sum / pairs, pairs}
}
