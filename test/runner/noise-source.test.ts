// The planner's noise model takes a run's recorded noise over the profile's declared
// defaults only when the record's training-run noise rests on at least the defaults'
// degrees of freedom: three seeds of A that landed close together (SD 0.25 on 2 dof)
// must not stand for the 5.9 measured over 8 seeds.
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {after, test} from 'node:test'
import {claimsFile, loadClaims} from '../../src/experiments/claims.js'
import {loadProfile} from '../../src/experiments/profile.js'
import {loadTables} from '../../src/experiments/tables.js'
import type {Profile} from '../../src/experiments/types.js'
import {buildGraph} from '../../src/runner/build-graph.js'
import {noiseModel} from '../../src/runner/budget/noise-source.js'
import {EXPERIMENTS, FAKE_DATASET} from './helpers.js'

const TABLES = loadTables(['table3', 'table4', 'table5', 'table6'], EXPERIMENTS)
const CLAIMS = loadClaims(claimsFile(EXPERIMENTS), TABLES)
const root = mkdtempSync(path.join(os.tmpdir(), 'vgg-noise-source-'))
after(() => rmSync(root, {recursive: true, force: true}))

/** A results folder for `name` holding a noise record whose every claim has seSeed `seSeed` on `dof`. */
function record(dir: string, name: string, source: string, seSeed: number, dof: number | null): string {
  const results = path.join(root, dir)
  mkdirSync(path.join(results, name), {recursive: true})
  const claims = CLAIMS.map((c) => ({id: c.id, paperEffect: 1, noise: {seSample: 0.5, seSeed, n: 1000, seedShare: 1}, seedDof: dof}))
  writeFileSync(path.join(results, name, 'noise.json'), JSON.stringify({version: 1, seeds: 1, images: 1000, source, claims}))
  return results
}

const smoke = loadProfile('smoke', path.join(EXPERIMENTS, 'profiles'))
const withDof = (dof?: number): Profile => ({...smoke, noiseDefaults: {...smoke.noiseDefaults!, seedDof: dof}})
const model = (profile: Profile, resultsRoot: string) =>
  noiseModel({profile, claims: CLAIMS, graph: buildGraph({tables: TABLES, profile, dataset: FAKE_DATASET, runDir: '/nonexistent', precision: 'fp32'}), resultsRoot})

test('a record on fewer dof than the declared defaults does not replace them; one on as many or more does', () => {
  const thin = record('thin', 'smoke', 'seed probe of net A', 0.01, 2)
  const declared = model(withDof(7), thin)
  assert.match(declared.source, /declared noiseDefaults \(seed SD 5 points, 7 dof\): .*noise\.json .* fewer dof \(2\), so it does not replace them/)
  assert.ok(declared.claims.every((c) => c.own.seSeed > 0.01), 'seed noise from the defaults, not the record')
  // the defaults' seed SD reaches every between-net claim: more seed noise than the record's
  const depth = declared.claims.find((c) => c.id === 'depth-reduces-error')!
  assert.ok(depth.own.seSeed > 1, `depth: ${depth.own.seSeed}`)

  // no dof declared: any record wins (the rule before seedDof existed)
  const recorded = model(withDof(undefined), thin)
  assert.match(recorded.source, /noise\.json \(measured: 1 seed per net, 1000 val images, seed probe of net A\)$/)
  assert.ok(recorded.claims.every((c) => c.own.seSeed === 0.01))

  // as many dof as declared: the record wins
  const thick = record('thick', 'smoke', 'seed probe of net A', 0.01, 7)
  assert.ok(model(withDof(7), thick).claims.every((c) => c.own.seSeed === 0.01))

  // a record that measured no training noise never replaces declared seed noise
  const imagesOnly = record('images', 'smoke', 'image sample only', 0, null)
  assert.ok(model(withDof(7), imagesOnly).claims.every((c) => c.own.seSeed > 0))
})
