// Temp copies of the experiment files and a graph over a made-up dataset.
import {cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {buildGraph} from '../../src/runner/build-graph.js'
import {loadProfile} from '../../src/experiments/profile.js'
import {loadTables} from '../../src/experiments/tables.js'
import type {TableName} from '../../src/experiments/types.js'
import type {DatasetInfo, JobGraph} from '../../src/runner/jobs.js'

export const EXPERIMENTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'experiments')

export const FAKE_DATASET: DatasetInfo = {root: '/nonexistent/data', id: 'fake-dataset-id', numClasses: 10, trainImages: 200, valImages: 50}

/** A writable copy of experiments/ in a fresh temp folder. */
export function tempExperiments(): {dir: string; runs: string; edit(file: string, from: string | RegExp, to: string): void} {
  const root = mkdtempSync(path.join(os.tmpdir(), 'vgg-runner-'))
  const dir = path.join(root, 'experiments')
  cpSync(EXPERIMENTS, dir, {recursive: true})
  return {
    dir,
    runs: path.join(root, 'runs'),
    edit(file, from, to) {
      const p = path.join(dir, file)
      const text = readFileSync(p, 'utf8')
      const next = text.replace(from, to)
      if (next === text) throw new Error(`edit of ${file} changed nothing`)
      writeFileSync(p, next)
    },
  }
}

export function graphFor(dir: string, runs: string, tables: TableName[] = ['table3', 'table4', 'table5', 'table6'], profile = 'smoke'): JobGraph {
  const p = loadProfile(profile, path.join(dir, 'profiles'))
  return buildGraph({tables: loadTables(tables, dir), profile: p, dataset: FAKE_DATASET, runDir: path.join(runs, p.name), precision: 'fp32'})
}

/** A tiny ImageFolder at `root`: train/ and val/ each with 3 JPEGs of a red "cat" and a blue "dog". */
export async function writeTwoColourFolder(root: string): Promise<void> {
  const {default: sharp} = await import('sharp')
  for (const split of ['train', 'val']) {
    for (const [c, colour] of [['cat', {r: 200, g: 30, b: 30}], ['dog', {r: 30, g: 30, b: 200}]] as const) {
      const dir = path.join(root, split, c)
      mkdirSync(dir, {recursive: true})
      for (let i = 0; i < 3; i++) await sharp({create: {width: 40 + i, height: 36, channels: 3, background: colour}}).jpeg().toFile(path.join(dir, `${i}.jpg`))
    }
  }
}
