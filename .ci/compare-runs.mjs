#!/usr/bin/env node
// compare-runs.mjs RUNS_A RUNS_B PROFILE: the two runs folders hold the same jobs with
// bit-identical outputs: every checkpoint's tensors and every posterior file's
// probabilities byte for byte, the same image ids, labels and classes, and the same
// numbers in every result.json (paths, timestamps and timings aside). Exit 1 otherwise.
import fs from 'node:fs'
import path from 'node:path'

const [runsA, runsB, profile] = process.argv.slice(2)
if (!profile) {
  console.error('usage: compare-runs.mjs RUNS_A RUNS_B PROFILE')
  process.exit(2)
}
const jobsA = path.join(runsA, profile, 'jobs')
const jobsB = path.join(runsB, profile, 'jobs')
const problems = []
let files = 0

/** [header JSON, payload bytes] of a vgg-repro checkpoint or posterior file (magic, u32 length, JSON, data). */
function split(file) {
  const buf = fs.readFileSync(file)
  const len = buf.readUInt32LE(8)
  return [JSON.parse(buf.subarray(12, 12 + len).toString('utf8')), buf.subarray(12 + len)]
}

const NOT_COMPARED = new Set(['wallMs', 'finishedAt', 'imgPerS', 'checkpoint', 'posteriors', 'metricsPath'])
function numbers(record) {
  return JSON.stringify(record.output, (k, v) => (NOT_COMPARED.has(k) ? undefined : v))
}

const dirsA = fs.readdirSync(jobsA).sort()
const dirsB = fs.readdirSync(jobsB).sort()
if (JSON.stringify(dirsA) !== JSON.stringify(dirsB)) problems.push(`different job folders: ${dirsA.length} vs ${dirsB.length}`)
for (const d of dirsA.filter((x) => dirsB.includes(x))) {
  const a = path.join(jobsA, d)
  const b = path.join(jobsB, d)
  const ra = JSON.parse(fs.readFileSync(path.join(a, 'result.json'), 'utf8'))
  const rb = JSON.parse(fs.readFileSync(path.join(b, 'result.json'), 'utf8'))
  if (numbers(ra) !== numbers(rb)) problems.push(`${d}/result.json: ${numbers(ra)} vs ${numbers(rb)}`)
  for (const f of fs.readdirSync(a).filter((x) => /\.(ckpt|posteriors)$/.test(x))) {
    files++
    const [ha, pa] = split(path.join(a, f))
    const [hb, pb] = split(path.join(b, f))
    if (!pa.equals(pb)) problems.push(`${d}/${f}: data differs`)
    for (const k of ['ids', 'labels', 'classes', 'n', 'net', 'epoch', 'step']) {
      if (JSON.stringify(ha[k]) !== JSON.stringify(hb[k])) problems.push(`${d}/${f}: header ${k} differs`)
    }
  }
}
if (problems.length > 0) {
  console.error(`compare-runs: ${problems.length} differences:\n  ${problems.slice(0, 20).join('\n  ')}`)
  process.exit(1)
}
console.log(`compare-runs: ${dirsA.length} jobs, ${files} checkpoint/posterior files: identical`)
