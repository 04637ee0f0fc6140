import assert from 'node:assert/strict'
import path from 'node:path'
import {it} from 'node:test'
import {loadCheckpoint} from '../../src/train/checkpoint.js'
import {initNet} from '../../src/train/init-net.js'
import {trainNet} from '../../src/train/train-net.js'
import {smokeJob, trainFixture} from './fixtures.js'

const f = trainFixture('init', 8, 2)

it('init chain: A random -> D from A (first 4 convs + fc6-8 copied) -> D fine-tuned from D', async () => {
  const a = await trainNet(smokeJob(f.data, path.join(f.scratch, 'A'), {maxEpochs: 1}), {quiet: true})
  const aWeights = (await loadCheckpoint(a.checkpoint)).weights

  const dJob = smokeJob(f.data, path.join(f.scratch, 'D'), {
    net: {config: 'D', widthFactor: 1 / 16, fcWidth: 32, numClasses: 3, crop: 32},
    init: {from: 'A', checkpoint: a.checkpoint, spec: {kind: 'glorot'}},
    maxEpochs: 1,
  })
  const d = await initNet(dJob)
  const w = d.getWeights()
  d.dispose()
  for (const layer of ['conv1_1', 'conv2_1', 'conv3_1', 'conv3_2', 'fc6', 'fc7', 'fc8']) {
    assert.deepEqual(w.get(`${layer}/kernel`)!.data, aWeights.get(`${layer}/kernel`)!.data, layer)
  }
  assert.notDeepEqual(w.get('conv1_2/kernel')!.data.slice(0, 4), new Float32Array(4), 'layers between are random')
  const dRun = await trainNet(dJob, {quiet: true})
  assert.equal(dRun.stoppedBy, 'epochs')

  const ftJob = {...dJob, init: {from: 'checkpoint' as const, checkpoint: dRun.checkpoint}, outDir: path.join(f.scratch, 'D384'), scaleMin: 48, scaleMax: 48, valScale: 48}
  const ft = await initNet(ftJob)
  const ftw = ft.getWeights()
  ft.dispose()
  const dw = (await loadCheckpoint(dRun.checkpoint)).weights
  for (const [name, v] of dw) assert.deepEqual(ftw.get(name)!.data, v.data, name)

  // a checkpoint of another config is not a fine-tuning start
  await assert.rejects(initNet({...ftJob, net: {...ftJob.net, config: 'E'}}), /differs from this job's in config/)
  await assert.rejects(initNet({...dJob, init: {from: 'A', checkpoint: dRun.checkpoint, spec: {kind: 'glorot'}}}), /holds a D net, not A/)
})

it('A-LRN starts from random init with A\'s seed: every layer it shares with A starts with A\'s weights', async () => {
  const job = smokeJob(f.data, path.join(f.scratch, 'unused'))
  const a = await initNet(job)
  const lrn = await initNet({...job, net: {...job.net, config: 'A-LRN'}})
  const [wa, wl] = [a.getWeights(), lrn.getWeights()]
  a.dispose()
  lrn.dispose()
  assert.deepEqual([...wl.keys()], [...wa.keys()], 'LRN adds no weights')
  for (const [name, v] of wa) assert.deepEqual(wl.get(name)!.data, v.data, name)
})
