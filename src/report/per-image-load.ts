// Per-image errors of the rows the claims compare, read from the rows' combined
// posterior files. A row whose file is missing, unreadable or not the one its numbers
// came from gets a reason instead, and its checks fall back to the unpaired rule.
import {existsSync} from 'node:fs'
// The file reader only, not src/eval/index.js: the report needs no tensor backend.
import {readPosteriors} from '../eval/posteriors-file.js'
import {errorPercent, perImageErrors, type PerImageErrors} from './per-image-errors.js'
import {rowRef, type RowResult} from './row-result.js'

export type RowPerImage = PerImageErrors | {unavailable: string}
/** by `<table>/<id>` */
export type PerImageByRow = ReadonlyMap<string, RowPerImage>

// Both sides compute 100·errors/n from the same ranks: allow round-off only.
const SAME = 1e-9

/**
 * Per-image errors from a posterior file, only if the file gives the numbers it is said
 * to have come from (a file that does not must not judge anything); `n` when known.
 */
export async function readMatchingErrors(file: string | undefined, expected: {top1Err: number; top5Err: number; n?: number}): Promise<RowPerImage> {
  if (file === undefined) return {unavailable: 'no posterior file recorded'}
  if (!existsSync(file)) return {unavailable: 'posterior file missing'}
  let errors: PerImageErrors
  try {
    errors = perImageErrors(await readPosteriors(file))
  } catch {
    return {unavailable: 'posterior file unreadable'}
  }
  const n = errors.ids.length
  if ((expected.n !== undefined && n !== expected.n) || Math.abs(errorPercent(errors.top1) - expected.top1Err) > SAME || Math.abs(errorPercent(errors.top5) - expected.top5Err) > SAME) {
    return {unavailable: "posterior file does not match the row's errors"}
  }
  return errors
}

function load(row: RowResult): Promise<RowPerImage> {
  if (row.reproduced === undefined) return Promise.resolve({unavailable: 'no posterior file recorded'})
  return readMatchingErrors(row.posteriors, row.reproduced)
}

/** Reads only the rows named in `refs` that have results (one file at a time: paper-scale files are large). */
export async function loadPerImageErrors(rows: readonly RowResult[], refs: Iterable<string>): Promise<Map<string, RowPerImage>> {
  const wanted = new Set(refs)
  const out = new Map<string, RowPerImage>()
  for (const row of rows) {
    const ref = rowRef(row)
    if (wanted.has(ref) && row.status === 'ok' && !out.has(ref)) out.set(ref, await load(row))
  }
  return out
}

/** by `<table>/<id>`: each seed's per-image errors, in seed order (k >= 2 seeds per net) */
export type PerSeedByRow = ReadonlyMap<string, RowPerImage[]>

/** As loadPerImageErrors, per seed: each seed's file must give that seed's own numbers. */
export async function loadPerSeedErrors(rows: readonly RowResult[], refs: Iterable<string>): Promise<Map<string, RowPerImage[]>> {
  const wanted = new Set(refs)
  const out = new Map<string, RowPerImage[]>()
  for (const row of rows) {
    const ref = rowRef(row)
    if (!wanted.has(ref) || row.status !== 'ok' || row.perSeed === undefined || out.has(ref)) continue
    const seeds: RowPerImage[] = []
    for (const s of row.perSeed) seeds.push(await readMatchingErrors(s.posteriors, s))
    out.set(ref, seeds)
  }
  return out
}
