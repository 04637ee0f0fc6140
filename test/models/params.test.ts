// Parameter and FLOP counts from the plan alone (no tensors).
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {CONFIGS, CONFIG_NAMES, PAPER_SCALE, countParams, forwardFlops, layersOf, planNet, summarizeModels} from '../../src/models/index.js'

describe('countParams at paper scale (Table 2)', () => {
  for (const config of CONFIG_NAMES) {
    it(`${config}: ${CONFIGS[config].paperParamsM} M within 0.5 M`, () => {
      const millions = countParams({config, ...PAPER_SCALE}) / 1e6
      assert.ok(Math.abs(millions - CONFIGS[config].paperParamsM) < 0.5, `${config}: ${millions} M`)
    })
  }

  it('D is exactly the well-known VGG-16 count', () => {
    assert.equal(countParams({config: 'D', ...PAPER_SCALE}), 138_357_544)
  })
})

describe('forwardFlops', () => {
  it('D at 224 is ~15.5 G multiply-adds', () => {
    const gmacs = forwardFlops({config: 'D', ...PAPER_SCALE}) / 2e9
    assert.ok(Math.abs(gmacs - 15.47) < 0.05, `${gmacs}`)
  })

  it('grows with depth and scales with crop area (conv part)', () => {
    const flops = CONFIG_NAMES.filter((c) => c !== 'A-LRN').map((config) => forwardFlops({config, ...PAPER_SCALE}))
    for (let i = 1; i < flops.length; i++) assert.ok(flops[i] > flops[i - 1])
    const small = forwardFlops({config: 'A', ...PAPER_SCALE, crop: 32, fcWidth: 1, numClasses: 1})
    const big = forwardFlops({config: 'A', ...PAPER_SCALE, crop: 64, fcWidth: 1, numClasses: 1})
    assert.ok(Math.abs(big / small - 4) < 0.01)
  })
})

describe('planNet', () => {
  it('names layers conv<block>_<i> and puts C 1x1 convs last in blocks 3-5', () => {
    const plan = planNet({config: 'C', ...PAPER_SCALE})
    const convs = layersOf(plan, 'conv')
    assert.deepEqual(
      convs.filter((c) => c.kernelShape[0] === 1).map((c) => c.name),
      ['conv3_3', 'conv4_3', 'conv5_3'],
    )
    assert.equal(convs.length + layersOf(plan, 'fc').length, CONFIGS.C.depth)
  })

  it('orders the layers conv (+ lrn) (+ pool), then fc6 drop6 fc7 drop7 fc8', () => {
    const kinds = planNet({config: 'A-LRN', ...PAPER_SCALE}).layers.map((l) => l.kind)
    assert.deepEqual(kinds, ['conv', 'lrn', 'pool', 'conv', 'pool', 'conv', 'conv', 'pool', 'conv', 'conv', 'pool', 'conv', 'conv', 'pool', 'fc', 'dropout', 'fc', 'dropout', 'fc'])
    const pools = layersOf(planNet({config: 'E', ...PAPER_SCALE}), 'pool')
    assert.deepEqual(pools.map((p) => p.name), ['pool1', 'pool2', 'pool3', 'pool4', 'pool5'])
  })

  it('fc6 input is (crop/32)^2 x channels; LRN only in A-LRN after conv1_1', () => {
    const plan = planNet({config: 'A-LRN', widthFactor: 0.5, fcWidth: 64, numClasses: 10, crop: 96})
    assert.deepEqual(layersOf(plan, 'fc')[0].kernelShape, [3 * 3 * 256, 64])
    assert.deepEqual(layersOf(plan, 'fc').map((f) => [f.inputSide, f.flattenInput]), [[3, true], [1, false], [1, false]])
    const lrnAt = plan.layers.findIndex((l) => l.kind === 'lrn')
    assert.equal(plan.layers[lrnAt - 1].name, 'conv1_1')
    assert.equal(layersOf(plan, 'lrn').length, 1)
    assert.equal(layersOf(planNet({config: 'A', ...PAPER_SCALE}), 'lrn').length, 0)
  })

  it('rejects bad specs with a clear message', () => {
    assert.throws(() => planNet({config: 'A', ...PAPER_SCALE, crop: 100}), /multiple of 32/)
    assert.throws(() => planNet({config: 'F' as 'A', ...PAPER_SCALE}), /not one of/)
    assert.throws(() => planNet({config: 'A', ...PAPER_SCALE, widthFactor: 0}), /widthFactor/)
  })
})

describe('summarizeModels (the models command)', () => {
  it('lists the six configs with counts at the given scale', () => {
    const rows = summarizeModels({...PAPER_SCALE, crop: 64, widthFactor: 0.25})
    assert.deepEqual(rows.map((r) => r.config), CONFIG_NAMES)
    assert.deepEqual(rows.map((r) => r.depth), [11, 11, 13, 16, 16, 19])
    for (const r of rows) assert.equal(r.params, countParams(r.spec))
  })
})
