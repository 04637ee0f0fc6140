// Temp copies of the experiment files and a graph over a made-up dataset.
import {cpSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
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
