// Worker-thread entry: builds batches on request and transfers their buffers back.
import {parentPort} from 'node:worker_threads'
import {buildBatch, type BatchJob, type BatchReply} from './batch-job.js'

const port = parentPort
if (port === null) throw new Error('train-worker must run in a worker thread')

port.on('message', (job: BatchJob) => {
  buildBatch(job).then(
    (reply) => port.postMessage(reply satisfies BatchReply, [reply.images.buffer as ArrayBuffer, reply.labels.buffer as ArrayBuffer]),
    (e: unknown) => port.postMessage({id: job.id, error: e instanceof Error ? e.message : String(e)} satisfies BatchReply),
  )
})
