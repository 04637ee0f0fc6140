// The paper's learning-rate policy [3.1]: divide lr by 10 when validation accuracy
// stops improving; after the last allowed decay, the next plateau ends training.
// Pure functions over a plain state object so the state goes into checkpoints.
import type {LrPolicy} from './types.js'

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

/** Feed the val top-1 accuracy of the epoch that just ended (1-based `epoch`). */
export function scheduleAfterEpoch(state: ScheduleState, valTop1Acc: number, epoch: number, policy: LrPolicy): ScheduleStep {
  const next = {...state}
  // Strict improvement: equal accuracy on a small val set is a plateau, not progress.
  if (valTop1Acc > state.bestValTop1Acc) {
    next.bestValTop1Acc = valTop1Acc
    next.bestEpoch = epoch
    next.epochsSinceImprovement = 0
    return {state: next, stop: false, decayed: false}
  }
  next.epochsSinceImprovement += 1
  if (next.epochsSinceImprovement < policy.patience) return {state: next, stop: false, decayed: false}
  if (state.decays >= policy.maxDecays) return {state: next, stop: true, decayed: false}
  next.decays += 1
  // From the initial value, not by repeated multiplication, so lr has one rounding.
  next.lr = policy.initial * policy.decayFactor ** next.decays
  next.epochsSinceImprovement = 0
  return {state: next, stop: false, decayed: true}
}
