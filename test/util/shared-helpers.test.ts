// The one-per-concept helpers of src/util/ that everything else writes through:
// their output is part of file formats (cache keys, reports), so it is pinned here.
import assert from 'node:assert/strict'
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {after, test} from 'node:test'
import {writeFileAtomicSync, writeJsonAtomic} from '../../src/util/atomic-write.js'
import {canonicalHash, canonicalJson} from '../../src/util/canonical-json.js'
import {markdownTable} from '../../src/util/markdown-table.js'
import {mix32, Rng, splitmix32} from '../../src/util/prng.js'

const dir = mkdtempSync(path.join(os.tmpdir(), 'vgg-util-'))
after(() => rmSync(dir, {recursive: true, force: true}))

test('canonical JSON: key order and undefined fields do not matter; the hash is pinned (job cache keys)', () => {
  assert.equal(canonicalJson({b: 1, a: [{d: 2, c: undefined}, 'x'], e: null}), '{"a":[{"d":2},"x"],"b":1,"e":null}')
  assert.equal(canonicalHash({x: 1, y: {b: 2, a: 1}}), canonicalHash({y: {a: 1, b: 2}, x: 1, z: undefined}))
  assert.notEqual(canonicalHash({x: 1}), canonicalHash({x: 2}))
  // the first 16 hex digits of sha256('{"recipe":1}'): a change here reruns every cached job
  assert.equal(canonicalHash({recipe: 1}), 'eab378d84d29de91')
})

test('Markdown tables: cells escaped, columns aligned on request, an all-empty header as written by hand', () => {
  assert.equal(markdownTable(['a', 'b'], [['x|y', '1'], ['', '2']], ['l', 'r']), '| a | b |\n|---|---:|\n| x\\|y | 1 |\n|  | 2 |')
  assert.equal(markdownTable(['', ''], [['k', 'v']]), '| | |\n|---|---|\n| k | v |')
  assert.equal(markdownTable(['n'], [['two\nlines']]), '| n |\n|---|\n| two lines |')
})

test('atomic writes leave the complete file and no temp file', async () => {
  const f = path.join(dir, 'a.json')
  writeFileAtomicSync(f, 'first')
  await writeJsonAtomic(f, {k: [1, 2]})
  assert.equal(readFileSync(f, 'utf8'), '{\n  "k": [\n    1,\n    2\n  ]\n}\n')
  assert.deepEqual(readdirSync(dir), ['a.json'])
})

test('PRNG: mix32 and splitmix32 are the published constants; Rng streams depend on (seed, label) only', () => {
  assert.equal(mix32(0), 0)
  assert.equal(mix32(1), 0x514e28b7) // murmur3 fmix32(1)
  const a = splitmix32(5)
  const b = splitmix32(5)
  assert.deepEqual([a(), a(), a()], [b(), b(), b()])
  const fill = (seed: number, label: string) => {
    const out = new Float32Array(8)
    new Rng(seed, label).fillNormal(out, 1)
    return [...out]
  }
  assert.deepEqual(fill(3, 'conv1_1/kernel'), fill(3, 'conv1_1/kernel'))
  assert.notDeepEqual(fill(3, 'conv1_1/kernel'), fill(3, 'conv1_2/kernel'))
  assert.notDeepEqual(fill(3, 'conv1_1/kernel'), fill(4, 'conv1_1/kernel'))
})
