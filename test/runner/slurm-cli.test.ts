// The real Slurm command wrapper and the CLI's --executor slurm / status / cancel,
// with stand-in sbatch, squeue, sacct and scancel scripts on PATH (no cluster).
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {after, before, test} from 'node:test'
import {SlurmError, slurmCli} from '../../src/runner/slurm/cli.js'
import {batchScript, shellQuote} from '../../src/runner/slurm/batch-script.js'
import {loadProfile} from '../../src/experiments/profile.js'
import {resolveDataset} from '../../src/runner/dataset.js'
import {load} from '../../src/runner/run-tables.js'

const root = mkdtempSync(path.join(os.tmpdir(), 'vgg-slurm-cli-'))
const bin = path.join(root, 'bin')
const calls = path.join(root, 'calls.log')
const savedPath = process.env.PATH

// Shell builtins only: PATH holds nothing but these scripts.
const FAKES: Record<string, string> = {
  sbatch: `n=0; [ -f "${root}/next" ] && read n < "${root}/next"; n=$((n+1)); echo $n > "${root}/next"
echo "sbatch $*" >> "${calls}"; echo "$n;cluster"`,
  // every asked id is PENDING, except 2 (COMPLETED) and 3 (forgotten: left to sacct); only id 999: error
  squeue: `echo "squeue $*" >> "${calls}"; while [ $# -gt 0 ]; do [ "$1" = -j ] && ids=$2; shift; done
[ "$ids" = 999 ] && { echo "slurm_load_jobs error: Invalid job id specified" >&2; exit 1; }
IFS=,; for i in $ids; do case $i in 2) echo "2|COMPLETED|None";; 3) ;; *) echo "$i|PENDING|Dependency";; esac; done`,
  sacct: `echo "sacct $*" >> "${calls}"; echo "3|CANCELLED by 0|None"`,
  scancel: `echo "scancel $*" >> "${calls}"`,
}

before(() => {
  mkdirSync(bin)
  for (const [name, body] of Object.entries(FAKES)) {
    writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`)
    chmodSync(path.join(bin, name), 0o755)
  }
})
after(() => {
  process.env.PATH = savedPath
})

function cliCalls(): string[] {
  try {
    return readFileSync(calls, 'utf8').trim().split('\n')
  } catch {
    return []
  }
}

test('sbatch, squeue, sacct and scancel are called and read as Slurm prints them', async () => {
  process.env.PATH = bin
  try {
    const cli = slurmCli()
    writeFileSync(calls, '')
    assert.equal(await cli.sbatch(['--job-name=x', '/tmp/s.sh']), '1')
    assert.deepEqual(cliCalls(), ['sbatch --parsable --job-name=x /tmp/s.sh'])
    const states = await cli.states(['1', '2', '3'])
    assert.deepEqual(Object.fromEntries(states), {
      '1': {state: 'PENDING', reason: 'Dependency'},
      '2': {state: 'COMPLETED', reason: ''},
      '3': {state: 'CANCELLED', reason: ''},
    })
    assert.equal(cliCalls()[1], 'squeue -h -t all -j 1,2,3 -o %i|%T|%r')
    assert.equal(cliCalls()[2], 'sacct -n -X -P -j 3 -o JobID,State,Reason')
    // squeue fails when it knows none of the ids; that is "unknown", not an error
    assert.equal((await cli.states(['999'])).get('999'), undefined)
    await cli.cancel(['4', '5'])
    assert.equal(cliCalls().at(-1), 'scancel 4 5')
  } finally {
    process.env.PATH = savedPath
  }
})

test('without Slurm on PATH the error is one line saying so', async () => {
  process.env.PATH = path.join(root, 'empty')
  try {
    await assert.rejects(slurmCli().sbatch(['x']), (e: unknown) => e instanceof SlurmError && /^sbatch is not on PATH: --executor slurm runs on a Slurm login node/.test(e.message))
  } finally {
    process.env.PATH = savedPath
  }
})

test('batch scripts quote what the shell would split', () => {
  assert.equal(shellQuote('/data/ILSVRC2012'), '/data/ILSVRC2012')
  assert.equal(shellQuote("/my data/it's"), `'/my data/it'\\''s'`)
  const s = batchScript({title: 'x', setup: ['module load cuda'], args: ['report', '--data', '/my data'], env: [['VGG_REPRO_RUNS', '/r s']]})
  assert.match(s, /^#!\/bin\/bash\n# x: .*\nset -e\nmodule load cuda\nexport VGG_REPRO_RUNS='\/r s'\nexec \S+ \S+\/bin\/run\.js report --data '\/my data'\n$/)
  const out = spawnSync('bash', ['-n'], {input: s})
  assert.equal(out.status, 0)
})

test('the CLI submits with --executor slurm, shows status, cancels, and refuses a local run meanwhile', async () => {
  const data = path.join(root, 'data')
  const made = spawnSync(process.execPath, ['scripts/make-toy-imagefolder.mjs', data, '--classes', '2', '--train', '4', '--val', '2'], {encoding: 'utf8'})
  assert.equal(made.status, 0, made.stderr)
  const env = {...process.env, PATH: `${bin}:${savedPath}`, VGG_REPRO_RUNS: path.join(root, 'runs'), VGG_REPRO_RESULTS: path.join(root, 'results')}
  const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/run.js', ...args], {encoding: 'utf8', env, timeout: 120_000})
  writeFileSync(calls, '')
  writeFileSync(path.join(root, 'next'), '0')

  const graph = await table3Graph(data)
  const n = graph.nodes.size
  const sub = cli('table3', '--profile', 'smoke', '--data', data, '--executor', 'slurm', '--json')
  assert.equal(sub.status, 0, sub.stderr)
  const r = JSON.parse(sub.stdout)
  assert.equal(r.kind, 'slurm')
  assert.equal(r.submitted.length, n)
  assert.equal(r.reportJobId, String(n + 1))
  const sbatch = cliCalls().filter((l) => l.startsWith('sbatch'))
  assert.equal(sbatch.length, n + 1)
  assert.match(sbatch[0], /^sbatch --parsable --job-name=vgg-train-A-s256 --output=\S+\/slurm-%j\.out --chdir=\S+ --kill-on-invalid-dep=yes --cpus-per-task=1 --mem=2G --time=15 \S+\/slurm-job\.sh$/)
  graph.order.forEach((key, i) => {
    const hasDeps = graph.nodes.get(key)!.deps.length > 0
    assert.equal(/ --dependency=afterok:\d+(:\d+)* --kill-on-invalid-dep=yes /.test(sbatch[i]), hasDeps, sbatch[i])
  })
  assert.match(sbatch[n], new RegExp(`--job-name=vgg-report .*--dependency=afterany:(\\d+:){${n - 1}}\\d+ `))

  const status = cli('status', '--profile', 'smoke')
  assert.equal(status.status, 0, status.stderr)
  assert.match(status.stdout, /train A S=37 +[0-9a-f]{16} +1 +PENDING \(Dependency\) +-/)
  assert.match(status.stdout, /eval A S=37 dense Q=37 +[0-9a-f]{16} +2 +COMPLETED/)
  assert.match(status.stdout, new RegExp(`${n - 1} still queued or running`))

  const local = cli('table3', '--profile', 'smoke', '--data', data)
  assert.equal(local.status, 2)
  assert.match(local.stderr, /^vgg-repro: Slurm jobs of this profile are queued or running \(.*slurm-run\.json\): wait for them \(vgg-repro status\) or cancel them \(vgg-repro cancel\) before a local run\n$/)

  const cancel = cli('cancel', '--profile', 'smoke')
  assert.equal(cancel.status, 0, cancel.stderr)
  // one scancel: every id the fake squeue calls live (all but 2 and 3)
  const scancel = cliCalls().filter((l) => l.startsWith('scancel'))
  assert.deepEqual(scancel, [`scancel ${Array.from({length: n + 1}, (_, i) => i + 1).filter((i) => i !== 2 && i !== 3).join(' ')}`])
})

/** The graph the CLI builds for table3 on the smoke profile (its size follows the YAML files). */
async function table3Graph(data: string) {
  const profile = loadProfile('smoke')
  return load(['table3'], profile, await resolveDataset(profile, data), 'fp32').graph
}
