// Learning-rate policies [3.1]. 'plateau' is the paper's rule: divide lr by 10 when
// (mini)validation accuracy stops improving; after the last allowed decay, the next
// plateau ends training. 'step' imitates its three decays at fixed epochs, for
// budgets too short for plateaus to be told from noise (docs/subset-protocol.md).
// Pure functions over a plain state object so the state goes into checkpoints.
import type {LrPolicy, PlateauPolicy, StepPolicy} from './types.js'

export interface ScheduleState {
  lr: number
  decays: number
  /** best val top-1 accuracy (fraction) so far, -1 before the first epoch */
  bestValTop1Acc: number
  /** 1-based epoch that reached the best, 0 before the first epoch */
  bestEpoch: number
  epochsSinceImprovement: number
}

export interface ScheduleStep {
  state: ScheduleState
  /** true when a plateau happened after the last decay: training is over */
  stop: boolean
  decayed: boolean
}

export function initialSchedule(policy: LrPolicy): ScheduleState {
  return {lr: policy.initial, decays: 0, bestValTop1Acc: -1, bestEpoch: 0, epochsSinceImprovement: 0}
}

/** Feed the minival top-1 accuracy of the epoch that just ended (1-based `epoch`). */
export function scheduleAfterEpoch(state: ScheduleState, valTop1Acc: number, epoch: number, policy: LrPolicy): ScheduleStep {
  const next = {...state}
  // Best minival accuracy is tracked under both policies (the curves show it).
  const improved = valTop1Acc > state.bestValTop1Acc + (policy.kind === 'plateau' ? policy.minDelta : 0)
  if (improved) {
    next.bestValTop1Acc = valTop1Acc
    next.bestEpoch = epoch
    next.epochsSinceImprovement = 0
  } else {
    next.epochsSinceImprovement += 1
  }
  return policy.kind === 'step' ? stepAfterEpoch(state, next, epoch, policy) : plateauAfterEpoch(state, next, improved, policy)
}

function stepAfterEpoch(before: ScheduleState, next: ScheduleState, epoch: number, policy: StepPolicy): ScheduleStep {
  const decays = policy.decayAfterEpochs.filter((e) => e <= epoch).length
  // From the initial value, not by repeated multiplication, so lr has one rounding.
  next.lr = Math.max(policy.initial * policy.decayFactor ** decays, policy.minLr)
  next.decays = decays
  return {state: next, stop: false, decayed: next.lr < before.lr}
}

function plateauAfterEpoch(before: ScheduleState, next: ScheduleState, improved: boolean, policy: PlateauPolicy): ScheduleStep {
  if (improved || next.epochsSinceImprovement < policy.patience) return {state: next, stop: false, decayed: false}
  if (before.decays >= policy.maxDecays) return {state: next, stop: true, decayed: false}
  next.decays += 1
  next.lr = policy.initial * policy.decayFactor ** next.decays
  next.epochsSinceImprovement = 0
  return {state: next, stop: false, decayed: true}
}

/** The lr of each epoch (1-based index - 1) under a step policy: for plans, tests and docs. */
export function stepLrs(policy: StepPolicy, epochs: number): number[] {
  let state = initialSchedule(policy)
  const out: number[] = []
  for (let e = 1; e <= epochs; e++) {
    out.push(state.lr)
    state = scheduleAfterEpoch(state, 0, e, policy).state
  }
  return out
}

/**
 * The lr of optimizer step `step` (0-based, global): the epoch's scheduled lr, scaled
 * down linearly during a warm-up of `warmupEpochs` epochs ((step+1)/W of it), so a
 * random net's first steps are small (Goyal et al. 2017). A pure function of the step:
 * a resumed run takes the same lr sequence.
 */
export function warmedUpLr(epochLr: number, step: number, batchesPerEpoch: number, policy: LrPolicy): number {
  if (policy.warmupEpochs === undefined) return epochLr
  const warmupSteps = Math.max(1, Math.round(policy.warmupEpochs * batchesPerEpoch))
  return step < warmupSteps ? (epochLr * (step + 1)) / warmupSteps : epochLr
}
