// Running the Python helpers in bench/: one-shot scripts and a line-based
// JSON request/reply server (the PyTorch reference stays loaded between configs).
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process'
import path from 'node:path'
import {createInterface, type Interface} from 'node:readline'
import {PROJECT_ROOT} from '../backend/backend.js'
import {envValue} from '../util/env.js'

export const PYTHON = envValue('VGG_REPRO_PYTHON') ?? 'python3'

export function benchScript(name: string): string {
  return path.join(PROJECT_ROOT, 'bench', name)
}

export interface ScriptResult {
  code: number | null
  stdout: string
  stderr: string
  /** spawn error (e.g. python3 not found) */
  error?: string
}

/** Run `python3 args...` to completion. */
export function runPython(args: string[], timeoutMs = 600_000): Promise<ScriptResult> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, args, {stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', (e) => resolve({code: null, stdout, stderr, error: e.message}))
    child.on('close', (code) => resolve({code, stdout, stderr}))
  })
}

/** The last line of stdout that parses as a JSON object. */
export function lastJsonLine(stdout: string): Record<string, unknown> | undefined {
  const lines = stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('{'))
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      return JSON.parse(lines[i]) as Record<string, unknown>
    } catch {
      // not JSON: keep looking
    }
  }
  return undefined
}

/** A Python process answering one JSON line per request line. */
export class JsonLineServer {
  private readonly child: ChildProcessWithoutNullStreams
  private readonly lines: Interface
  private readonly waiting: ((line: string | undefined) => void)[] = []
  private readonly queued: string[] = []
  private ended = false
  stderr = ''

  constructor(args: string[]) {
    this.child = spawn(PYTHON, args, {stdio: ['pipe', 'pipe', 'pipe']})
    this.child.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)))
    this.child.on('error', (e) => {
      this.stderr += `\n${e.message}`
      this.finish()
    })
    this.lines = createInterface({input: this.child.stdout})
    this.lines.on('line', (line) => {
      const w = this.waiting.shift()
      if (w !== undefined) w(line)
      else this.queued.push(line)
    })
    this.lines.on('close', () => this.finish())
  }

  /** The next reply line parsed, or undefined when the process ended. */
  async next(): Promise<Record<string, unknown> | undefined> {
    const line = this.queued.shift() ?? (this.ended ? undefined : await new Promise<string | undefined>((r) => this.waiting.push(r)))
    if (line === undefined) return undefined
    try {
      return JSON.parse(line) as Record<string, unknown>
    } catch {
      return {error: 'bad-reply', detail: line.slice(0, 200)}
    }
  }

  async request(req: unknown): Promise<Record<string, unknown> | undefined> {
    if (this.ended) return undefined
    this.child.stdin.write(`${JSON.stringify(req)}\n`)
    return this.next()
  }

  private finish(): void {
    this.ended = true
    for (const w of this.waiting.splice(0)) w(undefined)
  }

  async close(): Promise<void> {
    if (this.ended && this.child.exitCode !== null) return
    this.child.stdin.end()
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) return resolve()
      const timer = setTimeout(() => this.child.kill(), 5000)
      this.child.once('exit', () => {
        clearTimeout(timer)
        resolve()
      })
    })
  }
}
