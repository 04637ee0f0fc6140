// Bitwise comparison of two checkpoints' tensors (headers hold timings, so differ).
import assert from 'node:assert/strict'
import {loadCheckpoint} from '../../src/train/checkpoint.js'

export async function assertSameTensors(fileA: string, fileB: string): Promise<void> {
  const a = await loadCheckpoint(fileA)
  const b = await loadCheckpoint(fileB)
  assert.equal(a.epoch, b.epoch)
  assert.equal(a.step, b.step)
  for (const kind of ['weights', 'momentum'] as const) {
    assert.deepEqual([...a[kind].keys()], [...b[kind].keys()])
    for (const [name, t] of a[kind]) {
      const u = b[kind].get(name)!
      const same = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).equals(
        Buffer.from(u.data.buffer, u.data.byteOffset, u.data.byteLength),
      )
      assert.ok(same, `${kind} ${name} differs`)
    }
  }
}
