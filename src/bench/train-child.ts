// Child-process entry for measuring a real training run (trainNet) on its own:
// its peak resident memory is then the run's, not the benchmark's. Receives a
// TrainJob over IPC, replies with the epoch metrics and process.resourceUsage().maxRSS.
import {initBackend} from '../backend/backend.js'
import {trainNet} from '../train/train-net.js'
import type {EpochMetrics, TrainJob} from '../train/types.js'

export interface TrainChildReply {
  ok: boolean
  error?: string
  maxRssKb?: number
  metrics?: EpochMetrics[]
  stoppedBy?: string
  message?: string
  wallMs?: number
}

const send = (r: TrainChildReply) => new Promise<void>((resolve) => process.send!(r, () => resolve()))

process.once('message', (job: TrainJob) => {
  void (async () => {
    try {
      await initBackend()
      const metrics: EpochMetrics[] = []
      const t0 = performance.now()
      const r = await trainNet(job, {quiet: true, onEpoch: (m) => metrics.push(m)})
      const wallMs = performance.now() - t0
      await send({ok: true, maxRssKb: process.resourceUsage().maxRSS, metrics, stoppedBy: r.stoppedBy, message: r.message, wallMs})
    } catch (e) {
      await send({ok: false, error: e instanceof Error ? e.message : String(e)})
    }
    process.exit(0)
  })()
})
