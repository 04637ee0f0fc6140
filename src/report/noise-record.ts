// results/<name>/noise.json: the noise a run measured, per claim, in the power model's
// terms (power.ts NoiseAt: one seed per net, the run's images), so that `plan --budget`
// can project later designs of the same profile from measurements rather than from the
// profile's declared defaults. Written with every report; read by src/runner/budget.
import {existsSync, readFileSync} from 'node:fs'
import type {ClaimPower, NoiseAt} from './power.js'
import {isOwnSeedNoise, isProbeNoise, type NoiseSource} from './training-noise.js'

export const NOISE_FILE = 'noise.json'

export interface ClaimNoiseRecord {
  id: string
  /** the paper's pooled effect, the paper's way, in points */
  paperEffect: number
  noise: NoiseAt
  /** degrees of freedom behind the training-run part as measured */
  seedDof: number
}

export interface NoiseRecord {
  version: 1
  /** seeds per net of the run and the val images it scored */
  seeds: number
  images: number
  source: 'own seeds' | 'seed probe of net A' | 'image sample only'
  /** k = 1 with the probe: SD over A's seeds of a net's top-1 error and of a same-net evaluation difference */
  probe?: {seeds: number; between: number; within: number}
  /** k >= 2: root mean square over Table 3 rows of a row's top-1 SD over its seeds */
  rowSd?: {top1: number; rows: number}
  claims: ClaimNoiseRecord[]
}

export function noiseRecord(powers: readonly ClaimPower[], noise: NoiseSource | undefined): NoiseRecord | undefined {
  if (powers.length === 0) return undefined
  const k = powers[0].seeds
  const seedDof = isProbeNoise(noise) ? noise.seeds - 1 : k > 1 ? k - 1 : Number.POSITIVE_INFINITY
  return {
    version: 1,
    seeds: k,
    images: powers[0].noise.n,
    source: isOwnSeedNoise(noise) ? 'own seeds' : isProbeNoise(noise) ? 'seed probe of net A' : 'image sample only',
    ...(isProbeNoise(noise) ? {probe: {seeds: noise.seeds, between: noise.between.top1, within: noise.within.top1}} : {}),
    ...(isOwnSeedNoise(noise) && noise.rowSd ? {rowSd: noise.rowSd} : {}),
    claims: powers.map((c) => ({id: c.claimId, paperEffect: c.paperEffect, noise: c.noise, seedDof})),
  }
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x)

/** A noise record, or undefined when the file is missing or not one (an older or foreign file plays no part). */
export function readNoiseRecord(file: string): NoiseRecord | undefined {
  if (!existsSync(file)) return undefined
  let r: NoiseRecord
  try {
    r = JSON.parse(readFileSync(file, 'utf8')) as NoiseRecord
  } catch {
    return undefined
  }
  const ok =
    r?.version === 1 &&
    finite(r.seeds) &&
    finite(r.images) &&
    Array.isArray(r.claims) &&
    r.claims.every((c) => typeof c.id === 'string' && finite(c.paperEffect) && finite(c.noise?.seSample) && finite(c.noise?.seSeed) && finite(c.noise?.n) && finite(c.noise?.seedShare))
  // JSON writes Infinity as null: an unknown dof is a normal interval.
  return ok ? {...r, claims: r.claims.map((c) => ({...c, seedDof: finite(c.seedDof) ? c.seedDof : Number.POSITIVE_INFINITY}))} : undefined
}
