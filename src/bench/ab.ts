// A/B of a speed experiment inside one process: rounds alternate between the
// committed code and the experiment, so load from other users hits both alike.
import {measureCompute} from './compute-speed.js'
import {setExperiments} from './experiments.js'
import {imagesPerSecond, summarize, type TimingSummary} from './stats.js'
import type {StepSetup} from './step-runner.js'

export interface AbResult {
  config: string
  /** experiments active in the B rounds (A rounds: `baseline`) */
  experiments: string[]
  baseline: string[]
  rounds: number
  stepsPerRound: number
  aStepMs: TimingSummary
  bStepMs: TimingSummary
  aImgPerS: number
  bImgPerS: number
  /** b / a images per second */
  speedup: number
}

/** Markdown table of A/B results. */
export function renderAb(results: AbResult[], header: string): string {
  const lines = [header, '', '| config | A (baseline) | B | A img/s | B img/s | B/A | A step ms (IQR) | B step ms (IQR) |', '|---|---|---|---|---|---|---|---|']
  for (const r of results) {
    const iqr = (t: TimingSummary) => `${t.median.toFixed(1)} (${t.p25.toFixed(1)}–${t.p75.toFixed(1)})`
    lines.push(
      `| ${r.config} | ${r.baseline.join('+') || 'committed code'} | ${r.experiments.join('+') || 'committed code'} | ${r.aImgPerS.toFixed(1)} | ${r.bImgPerS.toFixed(1)} | ${r.speedup.toFixed(2)} | ${iqr(r.aStepMs)} | ${iqr(r.bStepMs)} |`,
    )
  }
  return `${lines.join('\n')}\n`
}

export async function abCompare(setup: StepSetup, opts: {baseline: string[]; experiments: string[]; rounds: number; steps: number; warmup: number}): Promise<AbResult> {
  const a: number[] = []
  const b: number[] = []
  try {
    for (let r = 0; r < opts.rounds; r++) {
      // ABBA order cancels a linear drift in machine load.
      const order = r % 2 === 0 ? ['a', 'b'] : ['b', 'a']
      for (const which of order) {
        setExperiments(which === 'a' ? opts.baseline : opts.experiments)
        const t = await measureCompute(setup, {warmup: opts.warmup, steps: opts.steps})
        ;(which === 'a' ? a : b).push(...t.times)
      }
    }
  } finally {
    setExperiments(opts.baseline)
  }
  const aS = summarize(a)
  const bS = summarize(b)
  const aImg = imagesPerSecond(setup.batch, aS.median)
  const bImg = imagesPerSecond(setup.batch, bS.median)
  return {config: setup.spec.config, experiments: opts.experiments, baseline: opts.baseline, rounds: opts.rounds, stepsPerRound: opts.steps, aStepMs: aS, bStepMs: bS, aImgPerS: aImg, bImgPerS: bImg, speedup: bImg / aImg}
}

