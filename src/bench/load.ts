// Machine load: the box is shared, so every result records the load it ran under,
// and the command can wait for a quiet machine before measuring.
import {readFileSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'

/** 1-, 5- and 15-minute load averages (undefined where /proc/loadavg is missing). */
export function loadAverage(): [number, number, number] | undefined {
  try {
    const [a, b, c] = readFileSync('/proc/loadavg', 'utf8').split(/\s+/).map(Number)
    return [a, b, c]
  } catch {
    return undefined
  }
}

/**
 * Poll until the 1-minute load is below `max` or `timeoutMs` passes. Returns the
 * load seen last and whether it was low enough.
 */
export async function waitForLoad(max: number, timeoutMs: number, log: (line: string) => void, pollMs = 15_000): Promise<{load1: number | undefined; ok: boolean}> {
  const start = Date.now()
  let announced = false
  for (;;) {
    const load1 = loadAverage()?.[0]
    if (load1 === undefined || load1 < max) return {load1, ok: true}
    if (Date.now() - start >= timeoutMs) return {load1, ok: false}
    if (!announced) log(`waiting for the 1-minute load (${load1.toFixed(2)}) to drop below ${max} (up to ${Math.round(timeoutMs / 60_000)} min)`)
    announced = true
    await sleep(pollMs)
  }
}
