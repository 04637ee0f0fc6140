// The Slurm executor against an in-memory Slurm (fake-slurm.ts) and the fake
// trainer: sbatch options, dependency edges, cached jobs, resubmission, status,
// cancel, and the same rows as the local runner.
import assert from 'node:assert/strict'
import {existsSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import {test} from 'node:test'
import {ExperimentFileError} from '../../src/experiments/errors.js'
import {loadProfile} from '../../src/experiments/profile.js'
import type {TrainJob} from '../../src/train/types.js'
import {readRecord} from '../../src/runner/job-store.js'
import type {JobGraph} from '../../src/runner/jobs.js'
import {cachedOutcomes, rowResults} from '../../src/runner/row-results.js'
import {runGraph} from '../../src/runner/run-graph.js'
import {cancelRun} from '../../src/runner/slurm/cancel.js'
import {readJobFile} from '../../src/runner/slurm/job-file.js'
import {readManifest} from '../../src/runner/slurm/manifest.js'
import {runJob} from '../../src/runner/slurm/run-job.js'
import {formatStatus, runStatus} from '../../src/runner/slurm/status.js'
import {submitGraph} from '../../src/runner/slurm/submit.js'
import {fakeExecutor} from './fake-executor.js'
import {FakeSlurm} from './fake-slurm.js'
import {graphFor, tempExperiments} from './helpers.js'

const SLURM_BLOCK = `slurm:
  default: {partition: short, cpusPerTask: 1, mem: 2G, time: "30", extraArgs: ["--account=vision"], setup: ["module load node/20"]}
  train: {partition: gpu, gres: "gpu:1", cpusPerTask: 8, mem: 64G, time: "7-00:00:00", extraArgs: ["--qos=long"]}
`

function setup(block = SLURM_BLOCK) {
  const t = tempExperiments()
  t.edit('profiles/smoke.yaml', /\nslurm:\n(?:  .*\n)+/, `\n${block}`)
  const profile = loadProfile('smoke', path.join(t.dir, 'profiles'))
  const graph = graphFor(t.dir, t.runs)
  const runDir = path.join(t.runs, 'smoke')
  const cli = new FakeSlurm()
  const submit = () => submitGraph({graph, profile, profileArg: 'smoke', data: '/nonexistent/data', tables: ['table3', 'table4', 'table5', 'table6'], runDir, cli})
  return {t, profile, graph, runDir, cli, submit}
}

const failC55 = (job: TrainJob) => (job.net.config === 'C' && job.scaleMin === 55 ? 'out of disk' : undefined)

function jobOf(cli: FakeSlurm, id: string) {
  return cli.jobs.get(id)!
}

test('every job becomes one sbatch job waiting (afterok) for its parents, with the profile\'s resources; a report job waits for all', async () => {
  const {graph, runDir, cli, submit} = setup()
  const r = await submit()
  assert.equal(r.submitted.length, graph.nodes.size)
  assert.equal(r.cached, 0)
  const idOf = new Map(r.submitted.map((s) => [s.key, s.jobId]))
  for (const s of r.submitted) {
    const node = graph.nodes.get(s.key)!
    const args = jobOf(cli, s.jobId).args
    assert.deepEqual(s.after, node.deps.map((d) => idOf.get(d)))
    const dep = args.find((a) => a.startsWith('--dependency='))
    assert.equal(dep, node.deps.length > 0 ? `--dependency=afterok:${node.deps.map((d) => idOf.get(d)).join(':')}` : undefined)
    assert.ok(args.includes('--kill-on-invalid-dep=yes'))
    assert.ok(args.includes(`--output=${node.dir}/slurm-%j.out`))
    // parents are submitted first, so Slurm always knows the ids a job waits for
    for (const d of s.after) assert.ok(Number(d) < Number(s.jobId))
    const want =
      node.kind === 'train'
        ? ['--partition=gpu', '--gres=gpu:1', '--cpus-per-task=8', '--mem=64G', '--time=7-00:00:00', '--account=vision', '--qos=long']
        : ['--partition=short', '--cpus-per-task=1', '--mem=2G', '--time=30', '--account=vision']
    assert.deepEqual(args.slice(args.indexOf('--kill-on-invalid-dep=yes') + 1, -1), want)
    const script = readFileSync(args[args.length - 1], 'utf8')
    assert.match(script, new RegExp(`module load node/20\\n(.*\\n)*exec .*bin/run\\.js run-job ${s.key} --profile smoke\\n$`))
    assert.equal(readJobFile(runDir, s.key).node.key, s.key)
  }
  // only the nets trained from scratch start at once; the rest wait for a parent
  const roots = [...graph.nodes.values()].filter((n) => n.deps.length === 0)
  assert.ok(roots.length >= 1 && roots.every((n) => n.kind === 'train'))
  assert.deepEqual(r.submitted.filter((s) => s.after.length === 0).map((s) => s.key), roots.map((n) => n.key))
  const report = jobOf(cli, r.reportJobId!)
  assert.deepEqual(report.afterany.sort(), [...idOf.values()].sort())
  assert.match(readFileSync(report.script, 'utf8'), /run\.js report --profile smoke --data \/nonexistent\/data\n$/)
  const m = readManifest(runDir)!
  assert.equal(m.jobs.length, graph.nodes.size)
  assert.equal(m.report?.jobId, r.reportJobId)
})

test('a Slurm run gives the rows of a local run; a failed job\'s dependents are cancelled, never run, and reported', async () => {
  const local = setup()
  const s = await runGraph({graph: local.graph, executor: fakeExecutor({failTrain: failC55})})
  const localRows = rowResults(local.graph, s.outcomes)

  const {graph, runDir, cli, submit} = setup()
  const r = await submit()
  const exec = fakeExecutor({failTrain: failC55})
  await cli.runAll(runDir, exec)
  const rows = rowResults(graph, cachedOutcomes(graph))
  assert.deepEqual(
    rows.map((x) => [x.table, x.id, x.status, x.error, x.reproduced?.top1Err]),
    localRows.map((x) => [x.table, x.id, x.status, x.error, x.reproduced?.top1Err]),
  )
  assert.ok(rows.some((x) => x.status === 'failed' && x.error === 'train C S=55 failed: out of disk'))
  assert.ok(rows.some((x) => x.status === 'ok'))

  // C S=55's descendants (jitter net, evals, combines) were cancelled by Slurm and never ran.
  const c55 = r.submitted.find((x) => x.name === 'train C S=55')!
  assert.equal(jobOf(cli, c55.jobId).state.state, 'FAILED')
  const below = r.submitted.filter((x) => x.name !== c55.name && graph.nodes.get(x.key)!.deps.length > 0 && dependsOn(graph, x.key, c55.key))
  assert.ok(below.length >= 5)
  for (const x of below) assert.deepEqual(jobOf(cli, x.jobId).state, {state: 'CANCELLED', reason: 'DependencyNeverSatisfied'}, x.name)
  assert.equal(exec.calls.train.filter((j) => j.net.config === 'C' && j.scaleMin !== j.scaleMax).length, 0)
  assert.equal(jobOf(cli, r.reportJobId!).state.state, 'COMPLETED')

  const status = (await runStatus(runDir, cli))!
  assert.equal(status.active, 0)
  assert.equal(status.counts.FAILED, 1)
  assert.equal(status.counts.CANCELLED, below.length)
  assert.match(formatStatus(status), /train C S=55 .* FAILED \(NonZeroExitCode\) +failed: out of disk/)
})

function dependsOn(graph: JobGraph, key: string, ancestor: string): boolean {
  return graph.nodes.get(key)!.deps.some((d) => d === ancestor || dependsOn(graph, d, ancestor))
}

test('a resubmission submits only the unfinished jobs, never with edges to cached ones', async () => {
  const {graph, runDir, cli, submit} = setup()
  await submit()
  await cli.runAll(runDir, fakeExecutor({failTrain: failC55}))
  const done = [...graph.nodes.values()].filter((n) => readRecord(n) !== undefined)
  const before = cli.jobs.size

  const r = await submit()
  assert.equal(r.cached, done.length)
  assert.equal(r.submitted.length, graph.nodes.size - done.length)
  assert.equal(r.kept.length, 0)
  assert.equal(cli.jobs.size, before + r.submitted.length + 1)
  const fresh = new Set(r.submitted.map((s) => s.jobId))
  for (const s of r.submitted) for (const d of s.after) assert.ok(fresh.has(d), `${s.name} waits for ${d}, a job of this submission`)
  // the failure of the last attempt is gone until this one ends
  assert.ok(!existsSync(path.join(graph.nodes.get(r.submitted[0].key)!.dir, 'error.json')))

  await cli.runAll(runDir, fakeExecutor())
  assert.ok(rowResults(graph, cachedOutcomes(graph)).every((x) => x.status === 'ok'))
  const third = await submit()
  assert.equal(third.submitted.length, 0)
  assert.equal(third.reportJobId, undefined)
})

test('a resubmission keeps queued jobs, replaces a failed one and the queued jobs below it, and the report job', async () => {
  const {graph, cli, submit} = setup()
  const first = await submit()
  const c37 = first.submitted.find((s) => s.name === 'train C S=37')!
  // C S=37 failed; Slurm has not cancelled its dependents yet.
  cli.set(c37.jobId, 'FAILED', 'NonZeroExitCode')
  const second = await submit()
  const under = new Set([...graph.nodes.keys()].filter((k) => dependsOn(graph, k, c37.key)))
  assert.deepEqual(second.submitted.map((s) => s.key).sort(), [c37.key, ...under].sort())
  assert.equal(second.kept.length, graph.nodes.size - 1 - under.size)
  // the old jobs below C and the old report job were cancelled, in Slurm too
  assert.deepEqual(second.cancelled.sort(), [...first.submitted.filter((s) => under.has(s.key)).map((s) => s.jobId), first.reportJobId!].sort())
  assert.equal(jobOf(cli, first.reportJobId!).state.state, 'CANCELLED')
  // kept jobs keep their ids, and new jobs wait for kept parents by their old ids
  const ids = new Map([...second.submitted, ...second.kept].map((s) => [s.key, s.jobId]))
  for (const s of second.kept) assert.equal(s.jobId, first.submitted.find((x) => x.key === s.key)!.jobId)
  const c55 = second.submitted.find((s) => s.name === 'train C S=55')!
  assert.deepEqual(c55.after, [ids.get(c37.key)])
  assert.deepEqual(jobOf(cli, second.reportJobId!).afterany.sort(), [...ids.values()].sort())
})

test('status records jobs Slurm ended on its own (time limit) as failed, and reports then say why', async () => {
  const {graph, runDir, cli, submit} = setup()
  const r = await submit()
  const a = r.submitted.find((s) => s.name === 'train A S=37')!
  cli.set(a.jobId, 'TIMEOUT', 'TimeLimit')
  for (const s of r.submitted.filter((x) => x.key !== a.key)) cli.set(s.jobId, 'CANCELLED', 'DependencyNeverSatisfied')
  const status = (await runStatus(runDir, cli))!
  const row = status.rows.find((x) => x.key === a.key)!
  assert.equal(row.result, 'failed')
  assert.equal(row.error, `Slurm job ${a.jobId} ended TIMEOUT (TimeLimit)`)
  assert.equal(status.active, 1) // the report job
  const rows = rowResults(graph, cachedOutcomes(graph))
  const needA = rows.filter((x) => x.jobs.some((j) => j.key === a.key))
  assert.ok(needA.length > 10 && needA.every((x) => x.status === 'failed'))
  assert.equal(rows.find((x) => x.table === 'table3' && x.id === 'A-256')!.error, `train A S=37 failed: Slurm job ${a.jobId} ended TIMEOUT (TimeLimit)`)
  // every other job (cancelled by Slurm, no file of its own) fails for that reason
  const outcomes = cachedOutcomes(graph)
  const e = [...graph.nodes.values()].find((n) => n.name === 'train E S=37')!
  assert.deepEqual(outcomes.get(e.key), {state: 'failed', error: `needs train A S=37, which failed: Slurm job ${a.jobId} ended TIMEOUT (TimeLimit)`})
})

test('cancel sends one scancel with every live job of the run, the report job included', async () => {
  const {runDir, cli, submit} = setup()
  const r = await submit()
  cli.set(r.submitted[0].jobId, 'COMPLETED')
  cli.set(r.submitted[1].jobId, 'RUNNING')
  cli.set(r.submitted[2].jobId, 'PENDING', 'DependencyNeverSatisfied')
  const cancelled = await cancelRun(runDir, cli)
  assert.equal(cli.cancelCalls.length, 1)
  assert.deepEqual(cancelled, [...r.submitted.slice(1).filter((_, i) => i !== 1).map((s) => s.jobId), r.reportJobId!])
  assert.equal((await runStatus(runDir, cli))!.active, 0)
  assert.deepEqual(await cancelRun(runDir, cli), [])
})

test('run-job runs nothing twice, and refuses a job whose parent result is gone', async () => {
  const {graph, runDir, submit} = setup()
  const r = await submit()
  const a = r.submitted.find((s) => s.name === 'train A S=37')!
  const e = fakeExecutor()
  assert.equal((await runJob(runDir, a.key, {executor: e, log: () => {}})).state, 'done')
  assert.equal((await runJob(runDir, a.key, {executor: e, log: () => {}})).state, 'cached')
  assert.equal(e.calls.train.length, 1)
  rmSync(path.join(graph.nodes.get(a.key)!.dir, 'result.json'))
  const b = r.submitted.find((s) => s.name === 'train B S=37')!
  const out = await runJob(runDir, b.key, {executor: e, log: () => {}})
  assert.equal(out.state, 'failed')
  assert.match(out.error!, /^needs train A S=37, which has no result in /)
  await assert.rejects(runJob(runDir, 'ffffffffffffffff', {executor: e, log: () => {}}), /no job ffffffffffffffff was submitted in/)
  await assert.rejects(runJob(runDir, 'nope', {executor: e, log: () => {}}), /"nope" is not a job key/)
})

test('bad slurm blocks in a profile are one file:line error', () => {
  const cases: [string, RegExp][] = [
    ['slurm:\n  train: {extraArgs: ["--dependency=afterok:1"]}\n', /smoke\.yaml:\d+: slurm\.train\.extraArgs\[0\]: set by the executor itself/],
    ['slurm:\n  eval: {time: "two days"}\n', /smoke\.yaml:\d+: slurm\.eval\.time: a Slurm --time like/],
    ['slurm:\n  gpu: {gres: "gpu:1"}\n', /smoke\.yaml:\d+: slurm\.gpu: unknown key/],
    ['slurm:\n  default: {mem: 64}\n', /smoke\.yaml:\d+: slurm\.default\.mem: expected a string/],
  ]
  for (const [block, want] of cases) {
    const t = tempExperiments()
    t.edit('profiles/smoke.yaml', /\nslurm:\n(?:  .*\n)+/, `\n${block}`)
    assert.throws(() => loadProfile('smoke', path.join(t.dir, 'profiles')), (e: unknown) => e instanceof ExperimentFileError && want.test(e.message) && !e.message.includes('\n'), block)
  }
})

test('a cached net that a job to submit will load is checked first, and trained again if its checkpoint is corrupt', async () => {
  const {graph, runDir, cli, submit} = setup()
  await submit()
  await cli.runAll(runDir, fakeExecutor())
  const a = [...graph.nodes.values()].find((n) => n.name === 'train A S=37')!
  const evalA = [...graph.nodes.values()].find((n) => n.kind === 'eval' && n.deps[0] === a.key)!
  rmSync(path.join(evalA.dir, 'result.json'))
  const checked: string[] = []
  const lines: string[] = []
  const r = await submitGraph({
    graph,
    profile: loadProfile('smoke', path.join(path.dirname(path.dirname(runDir)), 'experiments', 'profiles')),
    profileArg: 'smoke',
    data: '/nonexistent/data',
    tables: ['table3'],
    runDir,
    cli,
    log: (l) => lines.push(l),
    checkCheckpoint: async (file) => {
      checked.push(file)
      return file.startsWith(a.dir) ? 'checksum mismatch' : undefined
    },
  })
  // only the net the evaluation loads was checked; it and the evaluation run, the rest stays cached
  assert.deepEqual(checked, [path.join(a.dir, 'checkpoint.json')])
  assert.deepEqual(r.submitted.map((s) => s.name), [a.name, evalA.name])
  assert.equal(r.cached, graph.nodes.size - 2)
  assert.ok(lines.includes('checksum mismatch; training train A S=37 again'))
})
