// Whole-graph progress: one line per job started or failed, with jobs done /
// running / left and an ETA from the plan's estimates, rescaled by how long the
// jobs of this run actually took against their estimates. Off a terminal (CI logs,
// nohup) there are no progress bars, so each training epoch and each finished job
// also gets a line: hours of training never print nothing.
import {formatDuration} from './plan.js'
import type {JobGraph} from './jobs.js'
import type {RunEvent} from './run-graph.js'

export class GraphProgress {
  private done = 0
  private cached = 0
  private failed = 0
  private startedAt = 0
  /** per job kind: estimated and measured seconds of the jobs run so far, and what is left */
  private readonly kinds = new Map<string, {est: number; wall: number; left: number}>()
  private announcedCache = false

  constructor(
    private readonly graph: JobGraph,
    /** estimated seconds per job key */
    private readonly estimates: Map<string, number>,
    private readonly write: (line: string) => void,
    /** tty: train and eval draw their own bars, so no per-epoch / per-job-end lines */
    private readonly opts: {tty?: boolean} = {},
  ) {
    for (const node of graph.nodes.values()) this.kind(node.kind).left += estimates.get(node.key) ?? 0
  }

  private kind(k: string): {est: number; wall: number; left: number} {
    let v = this.kinds.get(k)
    if (v === undefined) this.kinds.set(k, (v = {est: 0, wall: 0, left: 0}))
    return v
  }

  /** Estimates rescaled per kind by how this run's jobs of that kind compared to theirs. */
  private etaSeconds(): number {
    let eta = 0
    for (const k of this.kinds.values()) eta += k.left * (k.est > 0 ? k.wall / k.est : 1)
    return eta
  }

  private status(running: number): string {
    const total = this.graph.nodes.size
    const left = total - this.done - this.cached - this.failed - running
    const eta = formatDuration(this.etaSeconds())
    return `[${this.done + this.cached + this.failed + running}/${total}] ${this.done + this.cached} done (${this.cached} cached), ${running} running, ${this.failed} failed, ${left} left, ETA ${eta}`
  }

  handle(e: RunEvent): void {
    const est = this.estimates.get(e.node.key) ?? 0
    if (e.type === 'start') {
      if (!this.announcedCache && this.cached > 0) this.write(`${this.cached} of ${this.graph.nodes.size} jobs are cached (finished earlier)`)
      this.announcedCache = true
      this.startedAt = Date.now()
      this.write(`${this.status(1)} | ${e.node.name}`)
      return
    }
    if (e.type === 'note') {
      this.write(`${e.node.name}: ${e.text}`)
      return
    }
    if (e.type === 'progress') {
      // Train jobs report once per epoch; eval jobs per batch (too many for a log).
      if (this.opts.tty !== true && e.node.kind === 'train') this.write(`  ${e.node.name}: ${e.note}`)
      return
    }
    const k = this.kind(e.node.kind)
    k.left = Math.max(0, k.left - est)
    const o = e.outcome
    if (o.state === 'cached') this.cached++
    else if (o.state === 'done') {
      this.done++
      k.est += est
      const wall = (Date.now() - this.startedAt) / 1000
      k.wall += wall
      if (this.opts.tty !== true) this.write(`  done ${e.node.name} in ${formatDuration(wall)}`)
    } else if (o.state === 'failed') {
      this.failed++
      // Only root failures get a line; their dependents show up in the counts and rows.
      if (!o.error?.startsWith('needs ')) this.write(`FAILED ${e.node.name}: ${o.error}`)
    }
  }
}
