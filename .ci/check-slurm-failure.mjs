#!/usr/bin/env node
// check-slurm-failure.mjs STATUS_JSON REPORT_JSON RESULTS_DIR: after the run of
// slurm-e2e.sh whose fine-tuning learning rate makes nets diverge, check that
//  - some train jobs FAILED, each with its error on record (training diverged);
//  - every job below a failed one was CANCELLED by Slurm before it started
//    (DependencyNeverSatisfied, no result, no Slurm log), and every other job COMPLETED;
//  - the report job COMPLETED, and each row needing a failed job is reported failed
//    with the error of one of its failed jobs (JSON and tableN.csv), the other rows ok.
import fs from 'node:fs'
import path from 'node:path'

const [statusFile, reportFile, resultsDir] = process.argv.slice(2)
const status = JSON.parse(fs.readFileSync(statusFile, 'utf8'))
const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'))
const jobs = status.rows.filter((r) => r.kind !== 'report')
const byKey = new Map(jobs.map((r) => [r.key, r]))
const problems = []

const failed = jobs.filter((r) => r.slurm?.state === 'FAILED')
if (failed.length === 0) problems.push('no job failed: the failing profile did not diverge')
for (const r of failed) {
  if (r.kind !== 'train' || r.result !== 'failed' || !/training diverged/.test(r.error ?? '')) problems.push(`${r.name}: ${r.kind}, result ${r.result}, error ${r.error}`)
}
const failedKeys = new Set(failed.map((r) => r.key))
const below = (key) => byKey.get(key).deps.some((d) => failedKeys.has(d) || below(d))
let cancelled = 0
for (const r of jobs) {
  if (failedKeys.has(r.key)) continue
  if (below(r.key)) {
    cancelled++
    if (r.slurm?.state !== 'CANCELLED' || r.slurm?.reason !== 'DependencyNeverSatisfied') problems.push(`${r.name}: ${JSON.stringify(r.slurm)}, expected CANCELLED (DependencyNeverSatisfied)`)
    if (r.result !== 'none') problems.push(`${r.name}: result ${r.result}, but it never ran`)
    if (fs.existsSync(r.log)) problems.push(`${r.name}: has a Slurm log ${r.log}, so it started`)
  } else if (r.slurm?.state !== 'COMPLETED' || r.result !== 'done') {
    problems.push(`${r.name}: ${JSON.stringify(r.slurm)} / ${r.result}, expected COMPLETED / done`)
  }
}
if (cancelled === 0) problems.push('no dependent of a failed job was found')
const reportJob = status.rows.find((r) => r.kind === 'report')
if (reportJob?.slurm?.state !== 'COMPLETED') problems.push(`report job: ${JSON.stringify(reportJob?.slurm)}`)

let failedRows = 0
for (const row of report.rows) {
  // A row can need several failed jobs (ilsvrc-7nets needs C, D and E); its error names one of them.
  const culprits = failed.filter((f) => row.jobs.some((j) => j.key === f.key))
  if (culprits.length > 0) {
    failedRows++
    if (row.status !== 'failed' || !culprits.some((c) => row.error?.startsWith(`${c.name} failed: training diverged`))) problems.push(`${row.table}/${row.id}: ${row.status} ${row.error ?? ''} (expected one of: ${culprits.map((c) => c.name).join(', ')})`)
  } else if (row.status !== 'ok') problems.push(`${row.table}/${row.id}: ${row.status} ${row.error ?? ''}, expected ok`)
}
let csvFailed = 0
for (const t of ['table3', 'table4', 'table5', 'table6']) {
  csvFailed += fs.readFileSync(path.join(resultsDir, `${t}.csv`), 'utf8').split('\n').filter((l) => /,"failed: .* failed: training diverged/.test(l)).length
}
if (csvFailed !== failedRows) problems.push(`${csvFailed} failed rows in table3-6.csv, ${failedRows} in the report`)

if (problems.length > 0) {
  console.error(`slurm-e2e: FAILED: ${problems.length} problems:\n  ${problems.slice(0, 20).join('\n  ')}`)
  process.exit(1)
}
console.log(
  `slurm-e2e: ${failed.length} train jobs FAILED (${failed.map((f) => f.name).join(', ')}), their ${cancelled} dependents CANCELLED unrun, ` +
    `${jobs.length - failed.length - cancelled} COMPLETED; report job COMPLETED; ${failedRows} rows failed naming the cause, ${report.rows.length - failedRows} ok`,
)
