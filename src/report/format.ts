// Number and status formatting shared by Markdown, CSV and terminal output, so the three
// never disagree about rounding.
import type {RowResult} from './row-result.js'

/** Error rates are percentages; one decimal is what the paper prints, two shows our CI. */
export function pct(x: number | undefined, digits = 2): string {
  return x === undefined || !Number.isFinite(x) ? '' : x.toFixed(digits)
}

/** Signed difference with an explicit '+' so a reader sees the direction at a glance. */
export function signed(x: number | undefined, digits = 2): string {
  if (x === undefined || !Number.isFinite(x)) return ''
  const s = x.toFixed(digits)
  // -0.00 would suggest a direction that the rounding hides.
  if (Number(s) === 0) return (0).toFixed(digits)
  return x > 0 ? `+${s}` : s
}

export function ciText(ci: [number, number] | undefined, digits = 2): string {
  return ci === undefined ? '' : `[${ci[0].toFixed(digits)}, ${ci[1].toFixed(digits)}]`
}

/** reproduced - paper, like timm's *_diff columns but for errors: positive = we are worse. */
export function diff(reproduced: number | undefined, paper: number | undefined): number | undefined {
  if (reproduced === undefined || paper === undefined) return undefined
  return reproduced - paper
}

/** 'ok', 'pending' or 'failed: <error>' on one line. */
export function statusText(row: Pick<RowResult, 'status' | 'error'>): string {
  if (row.status !== 'failed') return row.status
  const msg = (row.error ?? 'unknown error').replace(/\s+/g, ' ').trim()
  return `failed: ${msg}`
}

export function duration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return ''
  const s = Math.round(ms / 1000)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m${String(sec).padStart(2, '0')}s`
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`
  return `${sec}s`
}
