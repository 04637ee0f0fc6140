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
 * jobs starts its worker threads once and never stops them mid-run (docs/reliability.md,
 * "Known limits"). A pool whose worker died is replaced.
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
  private failure: Error | undefined

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const w = spawnWorker()
      w.unref() // idle workers never keep the process alive
      w.on('message', (r: BatchReply) => this.finish(w, r))
      w.on('error', (e) => this.fail(w, e))
      w.on('exit', (code) => this.fail(w, new Error(`data worker exited with code ${code}`)))
      this.workers.push(w)
    }
  }

  /** a worker died: the pool takes no more jobs */
  get broken(): boolean {
    return this.failure !== undefined
  }

  run(job: BatchJob): Promise<BatchReply> {
    if (this.failure) return Promise.reject(this.failure)
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
    if (p) {
      if (r.error !== undefined) p.reject(new Error(r.error))
      else p.resolve(r)
    }
    this.dispatch()
  }

  /** A dead worker fails every pending job, and the pool is broken (sharedPool replaces it). */
  private fail(dead: Worker, e: Error): void {
    this.failure ??= e
    for (const p of [...this.busy.values(), ...this.queue]) p.reject(e)
    this.busy.delete(dead)
    this.queue.length = 0
  }
}
