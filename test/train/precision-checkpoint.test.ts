// Precision is a property of a run, not of a checkpoint's weights (always float32
// masters): a bf16-trained net evaluates in fp32 and an fp32-trained one in bf16, each
// checkpoint and posteriors file records what it was computed in, and resuming a run
// at the other precision is refused (it would be neither run).
import assert from 'node:assert/strict'
import path from 'node:path'
import {describe, it} from 'node:test'
import {initBackend} from '../../src/backend/backend.js'
import {graphSessionsAvailable} from '../../src/backend/graph-session.js'
import {readPosteriors} from '../../src/eval/posteriors-file.js'
import {evaluateCheckpoint} from '../../src/eval/evaluate-checkpoint.js'
import {readCheckpointHeader} from '../../src/train/checkpoint.js'
import {trainNet} from '../../src/train/train-net.js'
import {smokeJob, trainFixture} from './fixtures.js'

// before describe(): the skip condition needs the chosen backend
await initBackend()
const f = trainFixture('precision-ckpt', 12, 6)

describe('precision of checkpoints and evaluations', {skip: !graphSessionsAvailable() && 'bf16 needs the native backend'}, () => {
  it('trains in each precision, records it, and evaluates across precisions with the same predictions on most images', async () => {
    const trained: Record<string, string> = {}
    for (const precision of ['fp32', 'bf16'] as const) {
      const r = await trainNet(smokeJob(f.data, path.join(f.scratch, precision), {precision, maxEpochs: 2}), {quiet: true})
      assert.equal(r.stoppedBy, 'epochs')
      assert.equal((await readCheckpointHeader(r.checkpoint)).job.precision, precision)
      trained[precision] = r.checkpoint
    }
    for (const [trainedIn, checkpoint] of Object.entries(trained)) {
      const results = []
      for (const precision of ['fp32', 'bf16'] as const) {
        const out = path.join(f.scratch, `eval-${trainedIn}-${precision}.posteriors`)
        const r = await evaluateCheckpoint({checkpoint, dataRoot: f.data, technique: 'dense', scale: 36, out, precision})
        assert.equal((await readPosteriors(out)).precision, precision, 'the posteriors file records the precision')
        results.push(await readPosteriors(out))
        assert.ok(r.n > 0)
      }
      const [a, b] = results
      let same = 0
      for (let i = 0; i < a.n; i++) {
        const row = (p: typeof a) => Array.from(p.data.subarray(i * p.classes.length, (i + 1) * p.classes.length))
        const top = (xs: number[]) => xs.indexOf(Math.max(...xs))
        if (top(row(a)) === top(row(b))) same++
      }
      assert.ok(same >= 0.9 * a.n, `${trainedIn}-trained net: fp32 and bf16 evaluation agree on ${same} of ${a.n} top-1 predictions`)
    }
  })

  it('resuming a checkpoint at the other precision is refused, naming the difference', async () => {
    const out = path.join(f.scratch, 'resume')
    await trainNet(smokeJob(f.data, out, {precision: 'fp32', maxEpochs: 1}), {quiet: true})
    await assert.rejects(trainNet(smokeJob(f.data, out, {precision: 'bf16', maxEpochs: 2}), {quiet: true}), /different job \(differs in precision\)/)
  })
})
