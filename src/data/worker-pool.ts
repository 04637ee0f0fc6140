// A fixed set of decode workers; jobs queue until a worker is idle.
import {Worker} from 'node:worker_threads'
// sharp must be loaded by the main thread before workers use it: otherwise glibc
// unloads libvips when a worker exits and the process can crash (sharp issue #2263).
import 'sharp'
import type {BatchJob, BatchReply} from './batch-job.js'

interface Pending {
  job: BatchJob
  resolve(r: BatchReply): void
  reject(e: Error): void
}

/**
 * How to start a decode worker. From dist/ the compiled train-worker.js runs directly.
 * From src/ (tests under tsx) a worker does not inherit tsx's loader hooks on Node 20
 * (neither by --import nor by register()), so a small eval'd script loads
 * train-worker.ts through tsx's tsImport(), which does work inside workers.
 */
export function spawnWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./train-worker.js', import.meta.url))
  const entry = new URL('./train-worker.ts', import.meta.url).href
  const api = import.meta.resolve('tsx/esm/api')
  const boot = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`
  return new Worker(boot, {eval: true})
}

const sharedPools = new Map<number, WorkerPool>()

/**
 * The process's decode pool of this size: started on first use and kept for the life of
 * the process (idle workers do not keep it alive), so one process with many training
 * jobs starts and stops its worker threads once. The rare native crashes were seen where
 * a job stopped its pool (docs/reliability.md, "Known limits"). A broken pool is replaced.
 */
export function sharedPool(size: number): WorkerPool {
  let pool = sharedPools.get(size)
  if (pool === undefined || pool.broken) {
    pool = new WorkerPool(size)
    sharedPools.set(size, pool)
  }
  return pool
}

export class WorkerPool {
  private readonly workers: Worker[] = []
  private readonly busy = new Map<Worker, Pending>()
  private readonly queue: Pending[] = []
  private readonly drainWaiters = new Map<Worker, () => void>()
  private failure: Error | undefined
  private closed = false

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const w = spawnWorker()
      w.unref() // idle workers never keep the process alive
      w.on('message', (r: BatchReply) => this.finish(w, r))
      w.on('error', (e) => this.fail(w, e))
      w.on('exit', (code) => {
        if (!this.closed) this.fail(w, new Error(`data worker exited with code ${code}`))
      })
      this.workers.push(w)
    }
  }

  /** a worker died, or the pool was closed: it takes no more jobs */
  get broken(): boolean {
    return this.failure !== undefined || this.closed
  }

  run(job: BatchJob): Promise<BatchReply> {
    if (this.failure) return Promise.reject(this.failure)
    if (this.closed) return Promise.reject(new Error('worker pool is closed'))
    return new Promise((resolve, reject) => {
      this.queue.push({job, resolve, reject})
      this.dispatch()
    })
  }

  /** Drop queued (not started) jobs, e.g. when a consumer stops iterating early. */
  cancelQueued(ids: Set<number>): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (ids.has(this.queue[i].job.id)) this.queue.splice(i, 1)
    }
  }

  private dispatch(): void {
    for (const w of this.workers) {
      if (this.queue.length === 0) return
      if (this.busy.has(w)) continue
      const p = this.queue.shift()!
      this.busy.set(w, p)
      w.ref() // a running job keeps the process alive until its reply
      w.postMessage(p.job)
    }
  }

  private finish(w: Worker, r: BatchReply): void {
    const p = this.busy.get(w)
    this.busy.delete(w)
    w.unref()
    this.drainWaiters.get(w)?.()
    if (p) {
      if (r.error !== undefined) p.reject(new Error(r.error))
      else p.resolve(r)
    }
    this.dispatch()
  }

  /** A dead worker fails every pending job; healthy ones stay in busy until they reply (see close). */
  private fail(dead: Worker, e: Error): void {
    this.failure ??= e
    for (const p of [...this.busy.values(), ...this.queue]) p.reject(e)
    this.busy.delete(dead)
    this.drainWaiters.get(dead)?.()
    this.queue.length = 0
  }

  /**
   * Stop the workers. Running jobs are allowed to finish first (bounded wait):
   * terminating a worker in the middle of a libvips call can crash the process.
   */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    const err = new Error('worker pool is closed')
    for (const p of this.queue) p.reject(err)
    this.queue.length = 0
    const running = [...this.busy.keys()].map((w) => new Promise<void>((r) => this.drainWaiters.set(w, r)))
    let timer: NodeJS.Timeout | undefined
    await Promise.race([Promise.all(running), new Promise((r) => (timer = setTimeout(r, 30_000)))])
    clearTimeout(timer)
    for (const p of this.busy.values()) p.reject(err)
    this.busy.clear()
    await Promise.all(this.workers.map((w) => w.terminate()))
  }
}
