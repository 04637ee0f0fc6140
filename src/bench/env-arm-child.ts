// Child-process entry for one environment arm (env-arms.ts): TensorFlow reads its thread
// and oneDNN settings once, when the library starts, so each arm needs a fresh process.
// Receives the step setups over IPC, replies with the compute timings and the values of
// the arm's variables as this process saw them after the backend started.
import {initBackend} from '../backend/backend.js'
import {measureCompute, type ComputeTiming} from './compute-speed.js'
import type {StepSetup} from './step-runner.js'

export interface EnvArmRequest {
  setups: {label: string; setup: StepSetup}[]
  warmup: number
  steps: number
  /** the variables whose values the reply reports */
  keys: string[]
}

export interface EnvArmReply {
  ok: boolean
  error?: string
  env?: Record<string, string | null>
  timings?: {label: string; imgPerS: number; stepMsMedian: number}[]
}

const send = (r: EnvArmReply) => new Promise<void>((resolve) => process.send!(r, () => resolve()))

process.once('message', (req: EnvArmRequest) => {
  void (async () => {
    try {
      await initBackend()
      const env = Object.fromEntries(req.keys.map((k) => [k, process.env[k] ?? null]))
      const timings: NonNullable<EnvArmReply['timings']> = []
      for (const {label, setup} of req.setups) {
        const t: ComputeTiming = await measureCompute(setup, {warmup: req.warmup, steps: req.steps})
        timings.push({label, imgPerS: t.imgPerS, stepMsMedian: t.stepMs.median})
      }
      await send({ok: true, env, timings})
    } catch (e) {
      await send({ok: false, error: e instanceof Error ? e.message : String(e)})
    }
    process.exit(0)
  })()
})
