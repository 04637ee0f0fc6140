// A training image the data stream drops (corrupt, truncated) is named, once, with
// the reason (issue 11: it used to be dropped silently).
import assert from 'node:assert/strict'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import {after, before, it} from 'node:test'
import {trainNet} from '../../src/train/train-net.js'
import {smokeJob, trainFixture} from './fixtures.js'

const f = trainFixture('skipped', 8, 2)

before(() => {
  process.env.VGG_REPRO_CACHE = path.join(f.scratch, 'cache')
})
after(() => {
  delete process.env.VGG_REPRO_CACHE
})

it('a corrupt training image is named once, with the reason, through onWarning (stderr by default)', {timeout: 120_000}, async () => {
  // here, not in a hook: Node 20 starts a file's root hooks without waiting for the fixture's
  await writeFile(path.join(f.data, 'train', 'red', 'broken.jpg'), Buffer.from('not a jpeg at all'))
  const warnings: string[] = []
  const r = await trainNet(smokeJob(f.data, path.join(f.scratch, 'out'), {maxEpochs: 2}), {quiet: true, onWarning: (l) => warnings.push(l)})
  assert.equal(r.stoppedBy, 'epochs')
  assert.equal(warnings.length, 1, warnings.join('\n')) // two epochs, named once
  // the file and libvips' reason, on one line
  assert.match(warnings[0], /^skipped unreadable training image \S*train\/red\/broken\.jpg: \S[^\n]*$/)
})
