import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {initialSchedule, scheduleAfterEpoch, stepLrs, type ScheduleState} from '../../src/train/schedule.js'
import {dropoutSeed} from '../../src/train/seeds.js'
import type {LrPolicy, PlateauPolicy, StepPolicy} from '../../src/train/types.js'

const policy: PlateauPolicy = {kind: 'plateau', initial: 0.01, decayFactor: 0.1, maxDecays: 3, patience: 2, minDelta: 0}

/** Feed accuracies in order; returns the lr used in each epoch and where it stopped. */
function run(accs: number[], p: LrPolicy = policy): {lrs: number[]; stopAt?: number; state: ScheduleState} {
  let state = initialSchedule(p)
  const lrs: number[] = []
  for (let i = 0; i < accs.length; i++) {
    lrs.push(state.lr)
    const step = scheduleAfterEpoch(state, accs[i], i + 1, p)
    state = step.state
    if (step.stop) return {lrs, stopAt: i + 1, state}
  }
  return {lrs, state}
}

describe('lr schedule', () => {
  it('keeps lr while val accuracy improves', () => {
    const r = run([0.1, 0.2, 0.3, 0.4, 0.5])
    assert.deepEqual(r.lrs, [0.01, 0.01, 0.01, 0.01, 0.01])
    assert.equal(r.stopAt, undefined)
    assert.equal(r.state.bestEpoch, 5)
    assert.equal(r.state.bestValTop1Acc, 0.5)
  })

  it('divides lr by 10 after `patience` epochs without improvement', () => {
    // epochs 3 and 4 do not beat 0.5 (equal is not better): decay after epoch 4
    const r = run([0.4, 0.5, 0.5, 0.45, 0.6])
    assert.deepEqual(r.lrs, [0.01, 0.01, 0.01, 0.01, 0.001])
    assert.equal(r.state.decays, 1)
    assert.equal(r.state.bestEpoch, 5)
  })

  it('an improvement resets the plateau count', () => {
    const r = run([0.4, 0.3, 0.5, 0.3, 0.6, 0.2])
    assert.deepEqual(r.lrs, [0.01, 0.01, 0.01, 0.01, 0.01, 0.01])
    assert.equal(r.state.epochsSinceImprovement, 1)
  })

  it('stops on the plateau after the last allowed decay', () => {
    const flat = Array.from({length: 20}, () => 0.5)
    const r = run(flat)
    // epoch 1 sets best; plateaus end epochs 3, 5, 7 (three decays); epoch 9 stops
    assert.equal(r.stopAt, 9)
    assert.equal(r.state.decays, 3)
    assert.deepEqual(r.lrs.map((x) => +x.toPrecision(6)), [0.01, 0.01, 0.01, 0.001, 0.001, 0.0001, 0.0001, 0.00001, 0.00001])
  })

  it('maxDecays 0 stops on the first plateau; patience 1 reacts at once', () => {
    const r = run([0.5, 0.5, 0.9], {...policy, maxDecays: 0, patience: 1})
    assert.equal(r.stopAt, 2)
  })

  it('lr after k decays is initial x factor^k (one rounding)', () => {
    const r = run(Array.from({length: 8}, () => 0.5), {...policy, patience: 1})
    assert.equal(r.state.lr, 0.01 * 0.1 ** 3)
  })

  it('minDelta: a gain of no more than minDelta is a plateau, not progress', () => {
    const r = run([0.5, 0.501, 0.502, 0.6], {...policy, patience: 2, minDelta: 0.005})
    // epochs 2 and 3 gain < 0.005 over 0.5: decay after epoch 3; epoch 4 is progress
    assert.deepEqual(r.lrs, [0.01, 0.01, 0.01, 0.001])
    assert.equal(r.state.bestValTop1Acc, 0.6)
  })
})

describe('step lr schedule', () => {
  const step: StepPolicy = {kind: 'step', initial: 0.01, decayFactor: 0.1, decayAfterEpochs: [4, 6, 7], minLr: 1e-5}

  it('decays after the listed epochs whatever validation says, and never stops early', () => {
    const good = run([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], step)
    const flat = run(Array.from({length: 8}, () => 0.5), step)
    assert.deepEqual(good.lrs, flat.lrs)
    assert.equal(flat.stopAt, undefined)
    assert.deepEqual(good.lrs.map((x) => +x.toPrecision(6)), [0.01, 0.01, 0.01, 0.01, 0.001, 0.001, 0.0001, 0.00001])
  })

  it('a fine-tune starting at initial/10 stops at minLr: every net ends at the same lr', () => {
    const ft = stepLrs({...step, initial: 0.001}, 8)
    assert.deepEqual(ft.map((x) => +x.toPrecision(6)), [0.001, 0.001, 0.001, 0.001, 0.0001, 0.0001, 0.00001, 0.00001])
  })
})

describe('dropout seeds', () => {
  it('depend only on (seed, epoch, step) and differ across them', () => {
    assert.equal(dropoutSeed(1, 2, 3), dropoutSeed(1, 2, 3))
    const seen = new Set<number>()
    for (let e = 0; e < 10; e++) for (let s = 0; s < 100; s++) seen.add(dropoutSeed(7, e, s))
    assert.equal(seen.size, 1000)
    assert.notEqual(dropoutSeed(1, 0, 0), dropoutSeed(2, 0, 0))
    for (const v of seen) assert.ok(Number.isInteger(v) && v > 0)
  })
})
