// `plan` calibrates by the job times earlier runs committed with their reports. A job is
// matched by its key (the same work), so a variant profile finds the times of the jobs it
// shares with the profile it extends; the profile's own folders win a tie.
import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {test} from 'node:test'
import {measuredTimes} from '../../src/runner/measured-times.js'

test("job times come from the profile's own results first, then from any other folder with the same job keys", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'vgg-measured-'))
  const provenance = (dir: string, jobs: [string, number][]) => {
    mkdirSync(path.join(root, dir))
    writeFileSync(path.join(root, dir, 'provenance.json'), JSON.stringify({jobs: jobs.map(([key, wallMs]) => ({key, name: key, wallMs}))}))
  }
  provenance('subset', [['k1', 100]])
  provenance('subset-seeds2', [['k1', 999], ['k2', 200]])
  provenance('another', [['k2', 300], ['k3', 400], ['k4', 0]])
  provenance('unrelated', [['k1', 5]])
  mkdirSync(path.join(root, 'charts'))
  const m = measuredTimes('subset', root)
  assert.deepEqual([...m.byKey.entries()].sort(), [['k1', 100], ['k2', 200], ['k3', 400]])
  assert.equal(m.sourceOf.get('k3'), 'another/provenance.json')
  assert.equal(m.sourceOf.get('k1'), 'subset/provenance.json')
  // folders that added no time are not named as sources
  assert.deepEqual([...new Set(m.sourceOf.values())].sort(), ['another/provenance.json', 'subset-seeds2/provenance.json', 'subset/provenance.json'])
  // a variant with no results of its own is calibrated by the shared jobs
  assert.deepEqual([...measuredTimes('subset-he-conv', root).byKey.keys()].sort(), ['k1', 'k2', 'k3'])
})
