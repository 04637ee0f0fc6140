// What the budget planner predicts for a run's design (k seeds per net, n val images),
// saved when the run starts (before any of its numbers exist) and set beside the
// realised standard errors in its report. Only for designs the one-seed report does not
// cover (k >= 2, or other val images than the profile's), so results/<profile>/ stays
// as it was.
import type {Claim, Profile} from '../../experiments/types.js'
import type {JobGraph} from '../jobs.js'
import {seedsOf} from '../seeds.js'
import {evaluateDesign} from './choose-design.js'
import {noiseModel} from './noise-source.js'

export interface Prediction {
  /** when and from what it was made */
  madeAt: string
  source: string
  seeds: number
  valImages: number
  claims: {id: string; se: number; power: number}[]
}

/** The prediction for the design the profile (with --seeds / --val-images applied) runs, or undefined when it cannot be made. */
export function predictDesign(profile: Profile, claims: readonly Claim[], graph: JobGraph, resultsName: string): Prediction | undefined {
  const k = seedsOf(profile)
  const noise = noiseModel({profile, claims, graph, exclude: resultsName})
  if (noise.claims.length === 0 || (k === 1 && noise.probeDof === undefined)) return undefined
  const n = Math.min(graph.dataset.valImages, profile.maxValImages ?? graph.dataset.valImages)
  const d = evaluateDesign(noise, k, n, 0)
  return {madeAt: new Date().toISOString(), source: noise.source, seeds: k, valImages: n, claims: d.claims.map((c) => ({id: c.id, se: c.se, power: c.power}))}
}
