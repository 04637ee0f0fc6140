// What a run checks about its dataset up front, and how committed reports name it (issue 11).
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, readFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {after, before, test} from 'node:test'
import sharp from 'sharp'
import {DataError} from '../../src/data/errors.js'
import {projectRoot} from '../../src/experiments/paths.js'
import {loadProfile} from '../../src/experiments/profile.js'
import {resolveDataset} from '../../src/runner/dataset.js'
import {runTables} from '../../src/runner/run-tables.js'
import {checkJob} from '../../src/train/check-job.js'
import {TrainError} from '../../src/train/train-error.js'
import {smokeJob} from '../train/fixtures.js'
import {fakeExecutor} from './fake-executor.js'

const root = mkdtempSync(path.join(os.tmpdir(), 'vgg-dataset-checks-'))

async function imageFolder(dir: string, classes: string[]): Promise<void> {
  for (const split of ['train', 'val']) {
    for (const [i, c] of classes.entries()) {
      mkdirSync(path.join(dir, split, c), {recursive: true})
      for (let k = 0; k < 3; k++) {
        await sharp({create: {width: 40 + k, height: 36, channels: 3, background: {r: 60 * i, g: 30, b: 200 - 60 * i}}}).jpeg().toFile(path.join(dir, split, c, `${k}.jpg`))
      }
    }
  }
}

before(async () => {
  process.env.VGG_REPRO_RUNS = path.join(root, 'runs')
  process.env.VGG_REPRO_RESULTS = path.join(root, 'results')
  await imageFolder(path.join(root, 'one-class'), ['cat'])
  await imageFolder(path.join(root, 'my-images'), ['cat', 'dog'])
})
after(() => {
  delete process.env.VGG_REPRO_RUNS
  delete process.env.VGG_REPRO_RESULTS
})

test('a 1-class dataset is refused up front in one line naming the folder (not by a oneHot error in eval)', async () => {
  const one = path.join(root, 'one-class')
  await assert.rejects(
    resolveDataset(loadProfile('smoke'), one),
    (e: unknown) => e instanceof DataError && e.message === `${path.join(one, 'train')} has 1 class folder (cat): training and evaluation need at least 2 classes`,
  )
  const fake = fakeExecutor()
  await assert.rejects(runTables({tables: ['table3'], profile: 'smoke', data: one, executor: fake, log: () => {}, progress: () => {}}), DataError)
  assert.equal(fake.calls.train.length, 0)
  // The trainer refuses a 1-class net on its own too.
  assert.throws(() => checkJob(smokeJob(one, path.join(root, 'out'), {net: {config: 'A', widthFactor: 1 / 16, fcWidth: 32, numClasses: 1, crop: 32}})), TrainError)
})

test('summary.md and provenance.json name the dataset by its folder name and id, never by an absolute path', async () => {
  const data = path.join(root, 'my-images')
  const r = await runTables({tables: ['table3'], profile: 'smoke', data, executor: fakeExecutor(), log: () => {}, progress: () => {}})
  const summary = readFileSync(path.join(r.resultsDir, 'summary.md'), 'utf8')
  const provenance = JSON.parse(readFileSync(path.join(r.resultsDir, 'provenance.json'), 'utf8'))
  for (const [name, text] of [['summary.md', summary], ['provenance.json', JSON.stringify(provenance)], ['table3.md', readFileSync(path.join(r.resultsDir, 'table3.md'), 'utf8')]]) {
    assert.ok(!text.includes(root), `${name} records ${root}`)
  }
  assert.equal(provenance.dataset.path, 'my-images')
  assert.equal(provenance.dataset.id, r.dataset.id)
  assert.match(summary, new RegExp(`\\| dataset \\| \`my-images\` \\(6 train / 6 val images, id \`${r.dataset.id}\`\\)`))
  // Inside the project: relative to it.
  const {portableDatasetPath} = await import('../../src/runner/dataset.js')
  assert.equal(portableDatasetPath(path.join(projectRoot(), 'data', 'toy')), 'data/toy')
})
