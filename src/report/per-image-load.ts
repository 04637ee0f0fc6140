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

async function load(row: RowResult): Promise<RowPerImage> {
  const r = row.reproduced
  if (row.posteriors === undefined || r === undefined) return {unavailable: 'no posterior file recorded'}
  if (!existsSync(row.posteriors)) return {unavailable: 'posterior file missing'}
  let errors: PerImageErrors
  try {
    errors = perImageErrors(await readPosteriors(row.posteriors))
  } catch {
    return {unavailable: 'posterior file unreadable'}
  }
  // A file that does not give the row's own numbers must not judge the row.
  const n = errors.ids.length
  if (n !== r.n || Math.abs(errorPercent(errors.top1) - r.top1Err) > SAME || Math.abs(errorPercent(errors.top5) - r.top5Err) > SAME) {
    return {unavailable: "posterior file does not match the row's errors"}
  }
  return errors
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
