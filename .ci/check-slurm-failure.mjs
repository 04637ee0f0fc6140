#!/usr/bin/env node
// check-slurm-failure.mjs STATUS_JSON RESULTS_DIR: after the smoke-fail run of
// slurm-e2e.sh, check that the diverging S=384 train jobs FAILED with their error on
// record, that every job depending on them was CANCELLED by Slurm before it started
// (no result, no Slurm log), that the others COMPLETED, that the report job rendered
// the tables and that their rows name the failure.
import fs from 'node:fs'
import path from 'node:path'

const [statusFile, resultsDir] = process.argv.slice(2)
const status = JSON.parse(fs.readFileSync(statusFile, 'utf8'))
const jobs = status.rows.filter((r) => r.kind !== 'report')
const byKey = new Map(jobs.map((r) => [r.key, r]))
const problems = []

const failed = jobs.filter((r) => r.slurm?.state === 'FAILED')
const names = failed.map((r) => r.name).sort()
if (JSON.stringify(names) !== JSON.stringify(['train C S=55', 'train D S=55', 'train E S=55'])) problems.push(`FAILED jobs: ${names.join(', ')}`)
for (const r of failed) if (r.result !== 'failed' || !/training diverged/.test(r.error ?? '')) problems.push(`${r.name}: result ${r.result}, error ${r.error}`)

const below = (key) => (byKey.get(key)?.deps ?? []).some((d) => failed.some((f) => f.key === d) || below(d))
let cancelled = 0
for (const r of jobs) {
  if (failed.includes(r)) continue
  if (below(r.key)) {
    cancelled++
    if (r.slurm?.state !== 'CANCELLED' || r.slurm?.reason !== 'DependencyNeverSatisfied') problems.push(`${r.name}: ${JSON.stringify(r.slurm)}, expected CANCELLED (DependencyNeverSatisfied)`)
    if (r.result !== 'none') problems.push(`${r.name}: result ${r.result}, but it never ran`)
    if (fs.existsSync(r.log)) problems.push(`${r.name}: has a Slurm log ${r.log}, so it started`)
  } else if (r.slurm?.state !== 'COMPLETED' || r.result !== 'done') {
    problems.push(`${r.name}: ${JSON.stringify(r.slurm)} / ${r.result}, expected COMPLETED / done`)
  }
}
const report = status.rows.find((r) => r.kind === 'report')
if (report?.slurm?.state !== 'COMPLETED') problems.push(`report job: ${JSON.stringify(report?.slurm)}`)

const csv = fs.readFileSync(path.join(resultsDir, 'table3.csv'), 'utf8')
for (const id of ['C-384', 'D-384', 'E-384', 'C-jit', 'D-jit', 'E-jit']) {
  const line = csv.split('\n').find((l) => l.startsWith(`table3,${id},`)) ?? ''
  if (!/"failed: train [CDE] S=55 failed: training diverged/.test(line)) problems.push(`table3.csv ${id}: ${line.slice(0, 120)}`)
}
for (const id of ['A-256', 'C-256', 'E-256']) {
  const line = csv.split('\n').find((l) => l.startsWith(`table3,${id},`)) ?? ''
  if (!/,ok,[^,]*$/.test(line)) problems.push(`table3.csv ${id} not ok: ${line.slice(0, 120)}`)
}

if (problems.length > 0) {
  console.error(`slurm-e2e: FAILED: ${problems.length} problems:\n  ${problems.slice(0, 20).join('\n  ')}`)
  process.exit(1)
}
console.log(`slurm-e2e: 3 train jobs FAILED, their ${cancelled} dependents CANCELLED unrun (DependencyNeverSatisfied), ${jobs.length - 3 - cancelled} COMPLETED; report job COMPLETED; table3 rows name the failure`)
