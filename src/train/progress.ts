// A progress bar with ETA for interactive runs; silent when stderr is not a TTY
// (logs, CI) or the caller asked for quiet.
import cliProgress from 'cli-progress'

export interface ProgressValues {
  loss: string
  ips: string
}

export class EpochProgress {
  private bar: cliProgress.SingleBar | undefined

  constructor(private readonly enabled: boolean) {}

  static forStderr(quiet: boolean | undefined): EpochProgress {
    return new EpochProgress(quiet !== true && process.stderr.isTTY === true)
  }

  start(epoch: number, maxEpochs: number, total: number, done: number): void {
    if (!this.enabled) return
    this.stop()
    this.bar = new cliProgress.SingleBar(
      {
        format: `epoch ${epoch}/${maxEpochs} |{bar}| {value}/{total} batches | loss {loss} | {ips} img/s | ETA {eta_formatted}`,
        stream: process.stderr,
        etaBuffer: 50,
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    )
    this.bar.start(total, done, {loss: '-', ips: '-'})
  }

  update(done: number, values: ProgressValues): void {
    this.bar?.update(done, values)
  }

  stop(): void {
    this.bar?.stop()
    this.bar = undefined
  }
}
