// Whole-graph progress: one line per job started or failed, with jobs done /
// running / left and an ETA from the plan's estimates, rescaled by how long the
// jobs of this run actually took against their estimates.
import {formatDuration} from './plan.js'
import type {JobGraph} from './jobs.js'
import type {RunEvent} from './run-graph.js'

export class GraphProgress {
  private done = 0
  private cached = 0
  private failed = 0
  private estRun = 0
  private wallRun = 0
  private startedAt = 0
  private remainingEst: number
  private announcedCache = false

  constructor(
    private readonly graph: JobGraph,
    /** estimated seconds per job key */
    private readonly estimates: Map<string, number>,
    private readonly write: (line: string) => void,
  ) {
    this.remainingEst = [...estimates.values()].reduce((a, b) => a + b, 0)
  }

  private status(running: number): string {
    const total = this.graph.nodes.size
    const left = total - this.done - this.cached - this.failed - running
    const speed = this.estRun > 0 ? this.wallRun / this.estRun : 1
    const eta = formatDuration(this.remainingEst * speed)
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
    if (e.type !== 'finish') return
    this.remainingEst = Math.max(0, this.remainingEst - est)
    const o = e.outcome
    if (o.state === 'cached') this.cached++
    else if (o.state === 'done') {
      this.done++
      this.estRun += est
      this.wallRun += (Date.now() - this.startedAt) / 1000
    } else if (o.state === 'failed') {
      this.failed++
      // Only root failures get a line; their dependents show up in the counts and rows.
      if (!o.error?.startsWith('needs ')) this.write(`FAILED ${e.node.name}: ${o.error}`)
    }
  }
}
