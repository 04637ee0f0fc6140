// Stream a URL to a file with a progress bar, verifying size and checksums on the way.
// A connection that stalls (no byte for `stallMs`) or breaks is retried with backoff,
// resuming where it stopped (HTTP Range) when the server allows it: a 341 MB archive
// does not start over, or hang forever, because of one bad minute of network.
import {createHash, type Hash} from 'node:crypto'
import {createWriteStream} from 'node:fs'
import {rm, stat} from 'node:fs/promises'
import {finished} from 'node:stream/promises'
import cliProgress from 'cli-progress'

export interface ExpectedFile {
  size?: number
  /** fast.ai's convention (fastai/data/checks.txt): md5 of the first 2^20 bytes */
  md5First1MiB?: string
  /** sha256 of the whole file */
  sha256?: string
}

export interface DownloadOptions {
  expected?: ExpectedFile
  /** progress bar on stderr (default: when stderr is a terminal) */
  progress?: boolean
  /** give up on an attempt when no byte arrives for this long (default 60 s) */
  stallMs?: number
  /** attempts in all, the first included (default 5) */
  attempts?: number
  /** wait before the k-th retry: retryDelayMs x 2^(k-1) (default 2 s) */
  retryDelayMs?: number
  /** one line per retry */
  log?: (line: string) => void
}

const MIB = 1 << 20

/** An attempt failed in a way another attempt may not (network, server overload). */
class TransientError extends Error {}

class StallError extends TransientError {
  constructor(ms: number) {
    super(`no data for ${Math.round(ms / 1000)} s`)
  }
}

/** Running digests of the bytes written so far; restartable when the server ignores Range. */
class Digests {
  sha!: Hash
  head!: Hash
  headBytes = 0
  size = 0
  constructor() {
    this.reset()
  }
  reset(): void {
    this.sha = createHash('sha256')
    this.head = createHash('md5')
    this.headBytes = 0
    this.size = 0
  }
  update(chunk: Uint8Array): void {
    this.sha.update(chunk)
    if (this.headBytes < MIB) {
      const part = chunk.subarray(0, MIB - this.headBytes)
      this.head.update(part)
      this.headBytes += part.length
    }
    this.size += chunk.length
  }
}

/** Download url to dest; on any failure dest is removed and the error says why, on one line. */
export async function downloadFile(url: string, dest: string, opts: DownloadOptions = {}): Promise<{size: number; sha256: string}> {
  const attempts = Math.max(1, opts.attempts ?? 5)
  const stallMs = opts.stallMs ?? 60_000
  const retryDelayMs = opts.retryDelayMs ?? 2000
  const showBar = opts.progress ?? process.stderr.isTTY === true
  const bar = showBar
    ? new cliProgress.SingleBar(
        {
          format: `${url.split('/').pop()} [{bar}] {percentage}% | {mb}/{totalMb} MB | {speed} MB/s | ETA {eta_formatted}`,
          stream: process.stderr,
          hideCursor: true,
          noTTYOutput: true, // progress was asked for: also print (periodically) into logs
          notTTYSchedule: 5000,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined
  const digests = new Digests()
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await attemptDownload(url, dest, digests, stallMs, bar)
        break
      } catch (e) {
        if (!(e instanceof TransientError) || attempt >= attempts) {
          const text = e instanceof Error ? e.message : String(e)
          throw attempt > 1 ? new Error(`${text} (after ${attempt} attempts)`, {cause: e}) : e
        }
        const wait = retryDelayMs * 2 ** (attempt - 1)
        opts.log?.(`download of ${url} broke off at ${(digests.size / MIB).toFixed(1)} MB (${e.message}); retrying in ${(wait / 1000).toFixed(0)} s (attempt ${attempt + 1} of ${attempts})`)
        await new Promise((r) => setTimeout(r, wait))
      }
    }
  } catch (e) {
    await rm(dest, {force: true})
    throw e
  } finally {
    bar?.stop()
  }
  const size = digests.size
  const digest = digests.sha.digest('hex')
  const exp = opts.expected ?? {}
  const problems: string[] = []
  if (exp.size !== undefined && size !== exp.size) problems.push(`size ${size} bytes, expected ${exp.size}`)
  if (exp.md5First1MiB !== undefined && digests.head.digest('hex') !== exp.md5First1MiB) problems.push('md5 of the first MiB differs')
  if (exp.sha256 !== undefined && digest !== exp.sha256.toLowerCase()) problems.push(`sha256 ${digest}, expected ${exp.sha256}`)
  if (problems.length > 0) {
    await rm(dest, {force: true})
    throw new Error(`checksum mismatch for ${url}: ${problems.join('; ')}`)
  }
  return {size, sha256: digest}
}

/** One request: from byte digests.size on (Range) when earlier attempts got that far. */
async function attemptDownload(url: string, dest: string, digests: Digests, stallMs: number, bar: cliProgress.SingleBar | undefined): Promise<void> {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const arm = () => {
    clearTimeout(timer)
    timer = setTimeout(() => controller.abort(new StallError(stallMs)), stallMs)
  }
  arm()
  try {
    let res: Response
    try {
      res = await fetch(url, {redirect: 'follow', signal: controller.signal, headers: digests.size > 0 ? {range: `bytes=${digests.size}-`} : {}})
    } catch (e) {
      throw classify(e, controller.signal)
    }
    const resumed = digests.size > 0 && res.status === 206 && contentRangeStart(res) === digests.size
    if (!res.ok || res.body === null) {
      const http = new Error(`HTTP ${res.status} ${res.statusText}`.trim())
      // Overload and gateway errors pass; a 404 or 403 will not.
      throw res.status >= 500 || res.status === 408 || res.status === 429 ? new TransientError(http.message) : http
    }
    if (!resumed) digests.reset() // a fresh 200: start the file over
    const length = Number(res.headers.get('content-length') ?? 0)
    const total = length > 0 ? digests.size + length : 0
    const started = Date.now()
    const startSize = digests.size
    if (digests.size === 0) bar?.start(total || 1, 0, {mb: '0.0', totalMb: total ? (total / MIB).toFixed(1) : '?', speed: '0.0'})
    else bar?.setTotal(total || digests.size)
    const out = createWriteStream(dest, {flags: resumed ? 'a' : 'w'})
    out.on('error', () => {}) // a disk error surfaces through finished() below
    let failure: unknown
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        arm()
        digests.update(chunk)
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()))
        bar?.update(Math.min(digests.size, total || digests.size), {
          mb: (digests.size / MIB).toFixed(1),
          speed: ((digests.size - startSize) / MIB / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(1),
        })
      }
    } catch (e) {
      failure = classify(e, controller.signal)
    }
    // Every byte hashed is on disk before a retry appends to the file.
    out.end()
    await finished(out)
    if (failure !== undefined) {
      if ((await stat(dest)).size !== digests.size) digests.reset()
      throw failure
    }
    if (length > 0 && digests.size !== total) throw new TransientError(`connection closed at ${digests.size} of ${total} bytes`)
  } finally {
    clearTimeout(timer)
  }
}

function contentRangeStart(res: Response): number | undefined {
  const m = /^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '')
  return m ? Number(m[1]) : undefined
}

/** A stall or a connection cut mid-way is transient; refused or unknown hosts are not (offline). */
function classify(e: unknown, signal: AbortSignal): unknown {
  if (signal.aborted && signal.reason instanceof StallError) return signal.reason
  const cause = (e as {cause?: {code?: string; message?: string}}).cause
  const code = cause?.code ?? (e as {code?: string}).code
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return e
  const text = e instanceof Error ? (cause?.message ? `${e.message}: ${cause.message}` : e.message) : String(e)
  return new TransientError(text)
}
