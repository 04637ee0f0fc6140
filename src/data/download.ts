// Stream a URL to a file with a progress bar, verifying size and checksums on the way.
import {createHash} from 'node:crypto'
import {createWriteStream} from 'node:fs'
import {rm} from 'node:fs/promises'
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
}

const MIB = 1 << 20

/** Download url to dest; on any failure dest is removed and the error says why, on one line. */
export async function downloadFile(url: string, dest: string, opts: DownloadOptions = {}): Promise<{size: number; sha256: string}> {
  const res = await fetch(url, {redirect: 'follow'})
  if (!res.ok || res.body === null) throw new Error(`HTTP ${res.status} ${res.statusText}`.trim())
  const total = Number(res.headers.get('content-length') ?? 0)
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
  bar?.start(total || 1, 0, {mb: '0.0', totalMb: total ? (total / MIB).toFixed(1) : '?', speed: '0.0'})
  const sha = createHash('sha256')
  const head = createHash('md5')
  let headBytes = 0
  let size = 0
  const started = Date.now()
  const out = createWriteStream(dest)
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      sha.update(chunk)
      if (headBytes < MIB) {
        const part = chunk.subarray(0, MIB - headBytes)
        head.update(part)
        headBytes += part.length
      }
      size += chunk.length
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()))
      bar?.update(Math.min(size, total || size), {
        mb: (size / MIB).toFixed(1),
        speed: (size / MIB / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(1),
      })
    }
    out.end()
    await finished(out)
  } catch (e) {
    out.destroy()
    await rm(dest, {force: true})
    throw e
  } finally {
    bar?.stop()
  }
  const digest = sha.digest('hex')
  const exp = opts.expected ?? {}
  const problems: string[] = []
  if (exp.size !== undefined && size !== exp.size) problems.push(`size ${size} bytes, expected ${exp.size}`)
  if (exp.md5First1MiB !== undefined && head.digest('hex') !== exp.md5First1MiB) problems.push('md5 of the first MiB differs')
  if (exp.sha256 !== undefined && digest !== exp.sha256.toLowerCase()) problems.push(`sha256 ${digest}, expected ${exp.sha256}`)
  if (problems.length > 0) {
    await rm(dest, {force: true})
    throw new Error(`checksum mismatch for ${url}: ${problems.join('; ')}`)
  }
  return {size, sha256: digest}
}
