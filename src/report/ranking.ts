// How well a reproduced table orders its rows like the paper: Kendall's tau-b between
// the published and the reproduced top-1 errors (ties, which the paper has, counted as
// tau-b does). +1: the same order; 0: unrelated; -1: reversed.
import type {RowResult} from './row-result.js'

export function kendallTauB(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new Error('kendallTauB: lengths differ')
  let concordant = 0
  let discordant = 0
  let tiesX = 0
  let tiesY = 0
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const dx = Math.sign(x[i] - x[j])
      const dy = Math.sign(y[i] - y[j])
      if (dx === 0 && dy === 0) continue
      if (dx === 0) tiesX++
      else if (dy === 0) tiesY++
      else if (dx === dy) concordant++
      else discordant++
    }
  }
  const denom = Math.sqrt((concordant + discordant + tiesX) * (concordant + discordant + tiesY))
  return denom === 0 ? Number.NaN : (concordant - discordant) / denom
}

/** tau-b over the rows with results, or undefined with fewer than 3. */
export function rankingAgreement(rows: readonly RowResult[]): {tau: number; n: number} | undefined {
  const ok = rows.filter((r) => r.status === 'ok' && r.reproduced !== undefined)
  if (ok.length < 3) return undefined
  return {tau: kendallTauB(ok.map((r) => r.paper.top1), ok.map((r) => r.reproduced!.top1Err)), n: ok.length}
}
