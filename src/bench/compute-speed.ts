// Training images/s on random input: the compute side of the step only.
import {setImmediate as yieldToLoop} from 'node:timers/promises'
import {profileOps, type OpProfile} from './op-profile.js'
import {imagesPerSecond, summarize, type TimingSummary} from './stats.js'
import {StepRunner, randomBatch, type StepSetup} from './step-runner.js'

export interface ComputeTiming {
  stepMs: TimingSummary
  /** every timed step, ms */
  times: number[]
  warmup: number
  imgPerS: number
  /** timed images / timed wall time (checks that per-step times add up) */
  wallImgPerS: number
  /** ops of one step after warm-up, when the backend is native */
  profile?: OpProfile
}

export async function measureCompute(setup: StepSetup, opts: {warmup: number; steps: number; profile?: boolean}): Promise<ComputeTiming> {
  const {batch, spec} = setup
  const {images, labels} = randomBatch(batch, spec.crop, spec.numClasses, setup.seed)
  const runner = new StepRunner(setup)
  try {
    for (let i = 0; i < opts.warmup; i++) {
      await yieldToLoop() // the trainer yields once per step too
      runner.step(images, labels, batch)
    }
    runner.read()
    const times: number[] = []
    const wall0 = performance.now()
    for (let i = 0; i < opts.steps; i++) {
      await yieldToLoop()
      const t0 = performance.now()
      runner.step(images, labels, batch)
      times.push(performance.now() - t0)
    }
    runner.read()
    const wallMs = performance.now() - wall0
    // One extra profiled step (its wrapper adds a little time, so it is not in the timings).
    const profile = opts.profile === true ? profileOps(() => runner.step(images, labels, batch)).profile : undefined
    const stepMs = summarize(times)
    return {stepMs, times, warmup: opts.warmup, imgPerS: imagesPerSecond(batch, stepMs.median), wallImgPerS: (1000 * batch * opts.steps) / wallMs, profile}
  } finally {
    runner.dispose()
  }
}
