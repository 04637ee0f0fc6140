// Every bench run appends one line to results/<base>-runs.jsonl (ours, PyTorch and
// their ratio per config), and bench.md shows the logged runs next to the latest:
// on a shared 2-core machine one run can swing by 10%, so a target met in one run
// is only as good as its spread over several.
import {appendFile, readFile} from 'node:fs/promises'
import type {BenchResult} from './types.js'

export interface RunLogEntry {
  date: string
  loadStart: number | null
  gemmGflops: number
  configs: Record<
    string,
    {
      ours: number
      torch: number | null
      ratio: number | null
      matrixFraction: number
      /** bf16 columns (absent in runs before mixed precision) */
      oursBf16?: number | null
      torchBf16?: number | null
      ratioBf16?: number | null
      bf16OverFp32?: number | null
    }
  >
}

export function runLogEntry(r: BenchResult): RunLogEntry {
  const configs: RunLogEntry['configs'] = {}
  for (const [name, c] of Object.entries(r.configs)) {
    if (c === undefined) continue
    configs[name] = {
      ours: c.oursImgPerS,
      torch: c.torchImgPerS,
      ratio: c.ratioVsTorch,
      matrixFraction: c.matrixFraction,
      ...(c.bf16 !== undefined || c.torchBf16 !== undefined
        ? {oursBf16: c.bf16?.imgPerS ?? null, torchBf16: c.torchBf16?.imgPerS ?? null, ratioBf16: c.ratioVsTorchBf16 ?? null, bf16OverFp32: c.bf16OverFp32 ?? null}
        : {}),
    }
  }
  return {date: r.date, loadStart: r.load.start, gemmGflops: r.machineGemmGflops, configs}
}

/** The logged runs, oldest first; a missing file is an empty log, unreadable lines are skipped. */
export async function readRunLog(file: string): Promise<RunLogEntry[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as {code?: string}).code === 'ENOENT') return []
    throw error
  }
  const out: RunLogEntry[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    try {
      const e = JSON.parse(line) as RunLogEntry
      if (typeof e.date === 'string' && typeof e.configs === 'object' && e.configs !== null) out.push(e)
    } catch {
      // a torn last line from an interrupted write: ignore it
    }
  }
  return out
}

export async function appendRunLog(file: string, entry: RunLogEntry): Promise<void> {
  await appendFile(file, `${JSON.stringify(entry)}\n`)
}
