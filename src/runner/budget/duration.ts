// `--budget`: a wall-clock duration as people write one: 90m, 8h, 48h, 2d, 1h30m, 1.5h.
export class BudgetError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BudgetError'
  }
}

const UNIT_SECONDS: Record<string, number> = {s: 1, m: 60, min: 60, h: 3600, d: 86400}

/** Seconds in `text`; one line naming the flag when it is not a positive duration. */
export function parseDuration(text: string, flag = '--budget'): number {
  const t = text.trim().toLowerCase()
  const part = /(\d+(?:\.\d+)?)\s*(min|d|h|m|s)/gy
  let seconds = 0
  let end = 0
  for (let m = part.exec(t); m !== null; m = part.exec(t)) {
    seconds += Number(m[1]) * UNIT_SECONDS[m[2]]
    end = part.lastIndex
    while (t[end] === ' ') part.lastIndex = ++end
  }
  if (t === '' || end !== t.length || !(seconds > 0)) throw new BudgetError(`${flag} "${text}": expected a duration such as 90m, 8h, 48h, 2d or 1h30m`)
  return seconds
}
