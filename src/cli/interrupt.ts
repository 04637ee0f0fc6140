// Ctrl-C handling for commands: the first SIGINT asks the loop to checkpoint and
// return ('interrupt'); a second one exits at once (the last checkpoint stays valid).
import {EXIT_CODES} from './exit-codes.js'

export interface SigintAbort {
  signal: AbortSignal
  /** remove the handler */
  dispose(): void
}

export function abortOnSigint(onFirst?: () => void): SigintAbort {
  const controller = new AbortController()
  const handler = () => {
    if (controller.signal.aborted) process.exit(EXIT_CODES.interrupted)
    onFirst?.()
    controller.abort()
  }
  process.on('SIGINT', handler)
  return {signal: controller.signal, dispose: () => process.off('SIGINT', handler)}
}
