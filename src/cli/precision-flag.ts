// The --precision flag of train, eval, all, table3..6, plan and bench. The flag wins over
// the profile's `precision:`; `auto` is decided on this machine after initBackend
// (resolvePrecisionChoice in src/backend/host-precision.ts: the eager step is fp32 only).
import {Flags} from '@oclif/core'
import {PRECISION_SETTINGS, type ResolvedPrecision} from '../backend/precision.js'

export const precisionFlag = Flags.string({
  description: `what training and evaluation compute in: ${PRECISION_SETTINGS.join(', ')} (default: the profile's, else auto: bf16 where the CPU or GPU runs it natively, see \`vgg-repro doctor\`)`,
})

/** One status line: "precision bf16 (this CPU computes bf16 natively ...)". */
export function precisionLine(p: ResolvedPrecision): string {
  return `precision ${p.precision} (${p.reason})`
}
