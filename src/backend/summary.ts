// TensorBoard event files come from tfjs-node's SummaryFileWriter, which lives in
// the native package that backend.ts loaded. This reaches it through the same
// module instance (require cache), so nothing else imports a backend package.
import {createRequire} from 'node:module'
import {backendInfo} from './backend.js'

/** The part of tfjs-node's SummaryFileWriter that training uses. */
export interface ScalarSummaryWriter {
  scalar(name: string, value: number, step: number): void
  flush(): void
}

type SummaryFactory = (logdir: string, maxQueue?: number, flushMillis?: number) => ScalarSummaryWriter

const require = createRequire(import.meta.url)

/**
 * A TensorBoard writer for `logdir`, or undefined when the backend is not native
 * TensorFlow (WASM / cpu have no summary ops). Call after initBackend().
 */
export function summaryFileWriter(logdir: string): ScalarSummaryWriter | undefined {
  const info = backendInfo()
  if (info?.backend !== 'tensorflow') return undefined
  try {
    const mod = require(info.source) as {node?: {summaryFileWriter?: SummaryFactory}}
    const factory = mod.node?.summaryFileWriter
    return factory === undefined ? undefined : factory(logdir)
  } catch {
    return undefined
  }
}
