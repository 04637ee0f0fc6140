// `extends:` in profiles (src/experiments/profile-extends.ts): top-level keys replace
// the base's, the result is validated strictly, and every problem names the file and
// line that hold it.
import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {test} from 'node:test'
import {fileURLToPath} from 'node:url'
import {ExperimentFileError} from '../../src/experiments/errors.js'
import {loadProfile} from '../../src/experiments/profile.js'

const EXPERIMENTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'experiments')
const SMOKE = path.join(EXPERIMENTS, 'profiles', 'smoke.yaml')

function dirWithSmoke(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vgg-extends-'))
  writeFileSync(path.join(dir, 'base.yaml'), readFileSync(SMOKE, 'utf8'))
  return dir
}

function write(dir: string, name: string, lines: string[]): string {
  const file = path.join(dir, name)
  writeFileSync(file, lines.join('\n') + '\n')
  return file
}

function fails(file: string, line: number, text: RegExp) {
  assert.throws(
    () => loadProfile(file),
    (e: unknown) => e instanceof ExperimentFileError && e.message.startsWith(`${file}:${line}: `) && text.test(e.message),
  )
}

test('a profile that extends another gets the base with its own top-level keys replaced', () => {
  const dir = dirWithSmoke()
  const base = loadProfile(path.join(dir, 'base.yaml'))
  const child = write(dir, 'child.yaml', ['extends: base.yaml', 'name: smoke-long', 'epochs: {base: 5, s384: 2, jitter: 2}', 'seedNoise: {seeds: 4}'])
  const p = loadProfile(child)
  assert.deepEqual(p, {...base, name: 'smoke-long', epochs: {base: 5, s384: 2, jitter: 2}, seedNoise: {seeds: 4}})
  // Chains work; a grandchild replaces again.
  const grand = write(dir, 'grand.yaml', ['extends: ./child.yaml', 'name: smoke-grand', 'crop: 64'])
  assert.deepEqual(loadProfile(grand), {...p, name: 'smoke-grand', crop: 64})
  // By name, from the shipped profiles.
  const byName = write(dir, 'named.yaml', ['extends: smoke', 'name: smoke-named'])
  assert.deepEqual(loadProfile(byName), {...loadProfile('smoke'), name: 'smoke-named'})
})

test('mistakes in either file are one file:line error in the file that holds them', () => {
  const dir = dirWithSmoke()
  // unknown key and bad value in the child
  fails(write(dir, 'a.yaml', ['extends: base.yaml', 'name: a', 'epoch: 3']), 3, /epoch: unknown key/)
  fails(write(dir, 'b.yaml', ['extends: base.yaml', 'name: b', 'crop: 100']), 3, /crop: must be a multiple of 32/)
  // a nested key of a replaced mapping is checked in full
  fails(write(dir, 'c.yaml', ['extends: base.yaml', 'name: c', 'epochs: {base: 5}']), 3, /epochs\.s384: missing \(required\)/)
  // the name is required, so a variant never writes into its base's folders
  fails(write(dir, 'd.yaml', ['extends: base.yaml', 'crop: 64']), 1, /needs its own name/)
  // missing base, unknown profile name, a cycle
  fails(write(dir, 'e.yaml', ['name: e', 'extends: nowhere.yaml']), 2, /extends: no profile file .*nowhere\.yaml/)
  fails(write(dir, 'f.yaml', ['name: f', 'extends: no-such-profile']), 2, /extends: unknown profile "no-such-profile"/)
  // h -> g -> h: reported where the chain turns back (g's extends)
  const g = write(dir, 'g.yaml', ['extends: h.yaml', 'name: g'])
  write(dir, 'h.yaml', ['extends: g.yaml', 'name: h'])
  assert.throws(() => loadProfile(path.join(dir, 'h.yaml')), (e: unknown) => e instanceof ExperimentFileError && e.message.startsWith(`${g}:1: extends: `) && /h\.yaml, which extends back/.test(e.message))
  fails(write(dir, 'self.yaml', ['extends: self.yaml', 'name: s']), 1, /self\.yaml, which extends back to this file/)
  fails(write(dir, 'i.yaml', ['name: i', 'extends: 3']), 2, /extends: expected a profile name or a path/)
  // a problem in an inherited key points into the base file
  const baseFile = path.join(dir, 'base.yaml')
  const text = readFileSync(baseFile, 'utf8')
  writeFileSync(baseFile, text.replace(/^dropout: .*$/m, 'dropout: 7'))
  const line = text.slice(0, text.search(/^dropout: /m)).split('\n').length
  assert.throws(
    () => loadProfile(write(dir, 'j.yaml', ['extends: base.yaml', 'name: j'])),
    (e: unknown) => e instanceof ExperimentFileError && e.message.startsWith(`${baseFile}:${line}: dropout: `),
  )
})

test('the shipped variants are their base plus what they say', () => {
  // x3 and seeds8 were measured without the warm-up: their base is the no-warm-up protocol
  const subset = loadProfile(path.join(EXPERIMENTS, 'ablation', 'subset-no-warmup.yaml'))
  const current = loadProfile('subset')
  assert.deepEqual({...subset, name: 'subset', description: undefined, lr: current.lr, noiseDefaults: current.noiseDefaults}, {...current, description: undefined})
  assert.equal(current.lr.warmupEpochs, 2)
  const x3 = loadProfile(path.join(EXPERIMENTS, 'ablation', 'subset-x3.yaml'))
  assert.deepEqual({...x3, scope: undefined, description: undefined}, {...subset, name: 'subset-x3', epochs: {base: 72, s384: 24, jitter: 24}, timeBudgetMinutes: 240, scope: undefined, description: undefined})
  const seeds8 = loadProfile(path.join(EXPERIMENTS, 'ablation', 'subset-seeds8.yaml'))
  assert.deepEqual({...seeds8, description: undefined}, {...subset, name: 'subset-seeds8', seedNoise: {seeds: 8}, description: undefined})
})
