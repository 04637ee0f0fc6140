// Progress bar with images/s for interactive evaluation; nothing when stderr is not a TTY.
import cliProgress from 'cli-progress'
import type {EvalProgress} from './types.js'

export class EvalProgressBar {
  private bar: cliProgress.SingleBar | undefined

  constructor(label: string, total: number, enabled = process.stderr.isTTY === true) {
    if (!enabled) return
    this.bar = new cliProgress.SingleBar(
      {
        format: `${label} |{bar}| {value}/{total} images | {ips} img/s | skipped {skipped} | ETA {eta_formatted}`,
        stream: process.stderr,
        etaBuffer: 50,
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    )
    this.bar.start(total, 0, {ips: '-', skipped: 0})
  }

  update(p: EvalProgress): void {
    this.bar?.update(p.done, {ips: p.imgPerS.toFixed(1), skipped: p.skipped})
  }

  stop(): void {
    this.bar?.stop()
    this.bar = undefined
  }
}
