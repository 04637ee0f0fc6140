// The dataset download over a flaky connection: a cut resumes where it stopped, a
// stall times out and is retried, and what cannot work fails in one line (issue 11).
import assert from 'node:assert/strict'
import {createHash, randomBytes} from 'node:crypto'
import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'
import {downloadFile} from '../../src/data/download.js'
import {tempDir} from './fixtures.js'

const body = randomBytes(300_000)
const sha256 = createHash('sha256').update(body).digest('hex')

type Behaviour = 'cut-then-range' | 'cut-then-ignore-range' | 'stall' | 'cut-always'

describe('downloadFile on a flaky server', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>
  let server: http.Server
  let base: string
  let behaviour: Behaviour
  let seen: {range?: string}[] = []
  before(async () => {
    tmp = await tempDir()
    server = http.createServer((req, res) => {
      seen.push({range: req.headers.range})
      const first = seen.length === 1
      const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '')
      if (behaviour === 'stall') {
        res.writeHead(200, {'content-length': body.length})
        res.write(body.subarray(0, 1000)) // then nothing, connection kept open
        return
      }
      if (first || behaviour === 'cut-always') {
        // Send a third of the file, then drop the connection.
        res.writeHead(200, {'content-length': body.length})
        res.write(body.subarray(0, 100_000), () => setTimeout(() => res.destroy(), 20))
        return
      }
      if (range && behaviour === 'cut-then-range') {
        const start = Number(range[1])
        res.writeHead(206, {'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}`})
        res.end(body.subarray(start))
        return
      }
      res.writeHead(200, {'content-length': body.length})
      res.end(body)
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/f.bin`
  })
  after(async () => {
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
    await tmp.cleanup()
  })
  const fast = {retryDelayMs: 10, stallMs: 300, progress: false}

  it('a connection cut mid-way resumes with a Range request and the file checks out', async () => {
    behaviour = 'cut-then-range'
    seen = []
    const dest = path.join(tmp.dir, 'a.bin')
    const logs: string[] = []
    const r = await downloadFile(base, dest, {...fast, expected: {size: body.length, sha256}, log: (l) => logs.push(l)})
    assert.equal(r.sha256, sha256)
    assert.ok((await readFile(dest)).equals(body))
    assert.equal(seen.length, 2)
    assert.match(seen[1].range ?? '', /^bytes=\d+-$/)
    assert.ok(Number(/\d+/.exec(seen[1].range!)![0]) > 0)
    assert.equal(logs.length, 1)
    assert.match(logs[0], /broke off at 0\.\d MB .*retrying in 0 s \(attempt 2 of 5\)/)
  })

  it('a server that ignores Range: the retry starts over and the file still checks out', async () => {
    behaviour = 'cut-then-ignore-range'
    seen = []
    const dest = path.join(tmp.dir, 'b.bin')
    const r = await downloadFile(base, dest, {...fast, expected: {size: body.length, sha256}})
    assert.equal(r.sha256, sha256)
    assert.ok((await readFile(dest)).equals(body))
    assert.equal(seen.length, 2)
  })

  it('a stalled connection times out and is retried; after the last attempt one line says why, nothing left behind', {timeout: 20_000}, async () => {
    behaviour = 'stall'
    seen = []
    const dest = path.join(tmp.dir, 'c.bin')
    const t0 = Date.now()
    await assert.rejects(downloadFile(base, dest, {...fast, attempts: 3}), (e: Error) => /^no data for 0 s \(after 3 attempts\)$/.test(e.message))
    assert.ok(Date.now() - t0 < 10_000)
    assert.equal(seen.length, 3)
    assert.equal(existsSync(dest), false)
  })

  it('a connection that keeps breaking gives up after the attempts, naming the cause', async () => {
    behaviour = 'cut-always'
    seen = []
    const dest = path.join(tmp.dir, 'd.bin')
    await assert.rejects(downloadFile(base, dest, {...fast, attempts: 2}), (e: Error) => /\(after 2 attempts\)$/.test(e.message) && !e.message.includes('\n'))
    assert.equal(seen.length, 2)
    assert.equal(existsSync(dest), false)
  })
})
