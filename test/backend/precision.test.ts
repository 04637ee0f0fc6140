// How `auto` precision is decided (src/backend/precision.ts), from injected machine
// facts, never this machine's; and how a bad precision in a flag or a profile is refused.
import assert from 'node:assert/strict'
import {mkdtempSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'
import {benchRatioForThisMachine, parsePrecision, PrecisionError, precisionKey, readCpuFlags, resolvePrecision, type PrecisionFacts} from '../../src/backend/precision.js'
import {loadProfile} from '../../src/experiments/profile.js'

const ZEN = ['fpu', 'avx2', 'avx512f', 'avx512_bf16', 'avx512_vnni']
const SAPPHIRE = ['avx2', 'avx512f', 'amx_bf16', 'amx_tile', 'avx512_bf16']
const SKYLAKE = ['avx2', 'avx512f', 'avx512bw', 'avx512_vnni']
const HASWELL = ['avx', 'avx2', 'fma']
const facts = (over: Partial<PrecisionFacts>): PrecisionFacts => ({cpuFlags: [], gpu: null, parity: 'within', ...over})

describe('auto precision', () => {
  it('is bf16 on CPUs with avx512_bf16 or amx_bf16 once parity is measured', () => {
    for (const cpuFlags of [ZEN, SAPPHIRE]) {
      const r = resolvePrecision('auto', facts({cpuFlags}))
      assert.equal(r.precision, 'bf16', r.reason)
      assert.match(r.reason, /natively \((avx512_bf16|amx_bf16)\)/)
    }
  })

  it('falls back to fp32 where bf16 is not native (it would be emulated), saying why', () => {
    for (const cpuFlags of [SKYLAKE, HASWELL, []]) {
      const r = resolvePrecision('auto', facts({cpuFlags}))
      assert.equal(r.precision, 'fp32')
      assert.match(r.reason, /neither amx_bf16 nor avx512_bf16.*emulated/)
    }
  })

  it('stays fp32 while parity is pending or was not shown, even on native hardware', () => {
    assert.equal(resolvePrecision('auto', facts({cpuFlags: ZEN, parity: 'pending'})).precision, 'fp32')
    const r = resolvePrecision('auto', facts({cpuFlags: ZEN, parity: 'outside'}))
    assert.equal(r.precision, 'fp32')
    assert.match(r.reason, /did not match fp32 within seed noise/)
  })

  it("follows this machine's benchmark: fp32 when it measured bf16 no faster", () => {
    assert.equal(resolvePrecision('auto', facts({cpuFlags: ZEN, benchBf16OverFp32: 0.93})).precision, 'fp32')
    const r = resolvePrecision('auto', facts({cpuFlags: ZEN, benchBf16OverFp32: 1.8}))
    assert.equal(r.precision, 'bf16')
    assert.match(r.reason, /x1\.80 over fp32/)
  })

  it('on a GPU: bf16 from compute capability 8.0 (Ampere) on, fp32 below', () => {
    assert.equal(resolvePrecision('auto', facts({cpuFlags: HASWELL, gpu: {name: 'A100', computeCapability: '8.0'}})).precision, 'bf16')
    assert.equal(resolvePrecision('auto', facts({cpuFlags: HASWELL, gpu: {name: 'H100', computeCapability: '9.0'}})).precision, 'bf16')
    const v100 = resolvePrecision('auto', facts({cpuFlags: ZEN, gpu: {name: 'V100', computeCapability: '7.0'}}))
    assert.equal(v100.precision, 'fp32', 'the GPU decides, not the host CPU')
    assert.match(v100.reason, /no bf16 tensor cores/)
    assert.equal(resolvePrecision('auto', facts({gpu: {name: 'unknown GPU'}})).precision, 'fp32')
  })

  it('the eager step (no native graph sessions) is fp32 only, also when bf16 is asked for', () => {
    assert.equal(resolvePrecision('auto', facts({cpuFlags: ZEN, eagerOnly: true})).precision, 'fp32')
    const asked = resolvePrecision('bf16', facts({cpuFlags: ZEN, eagerOnly: true}))
    assert.equal(asked.precision, 'fp32')
    assert.match(asked.reason, /bf16 was asked for, but the eager step/)
  })

  it('an explicit fp32 or bf16 is taken as given', () => {
    assert.equal(resolvePrecision('fp32', facts({cpuFlags: ZEN})).precision, 'fp32')
    assert.equal(resolvePrecision('bf16', facts({cpuFlags: HASWELL, parity: 'pending'})).precision, 'bf16')
  })
})

describe('precision settings', () => {
  it('parses fp32, bf16 and auto; fp16 and others are one-line errors', () => {
    assert.equal(parsePrecision('BF16'), 'bf16')
    assert.throws(() => parsePrecision('fp16'), (e: Error) => e instanceof PrecisionError && /fp16 is not supported.*loss scaling/.test(e.message) && !e.message.includes('\n'))
    assert.throws(() => parsePrecision('int8'), /"int8" is not a precision; use fp32, bf16 or auto/)
  })

  it('a profile with precision: fp16 is rejected with its file and line', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vgg-precision-'))
    const file = path.join(dir, 'p.yaml')
    writeFileSync(file, `extends: ${path.resolve('experiments/profiles/smoke.yaml')}\nname: p16\nprecision: fp16\n`)
    assert.throws(
      () => loadProfile(file),
      (e: Error) => e.message.startsWith(`${file}:3: precision: `) && /fp16 is not supported/.test(e.message) && !e.message.includes('\n'),
    )
  })

  it('a profile without precision: means auto', () => {
    assert.equal(loadProfile('smoke').precision, 'auto')
  })

  it('keys: fp32 adds nothing (its cache keys and hashes stay as before), bf16 adds itself', () => {
    assert.deepEqual(precisionKey('fp32'), {})
    assert.deepEqual(precisionKey(undefined), {})
    assert.deepEqual(precisionKey('bf16'), {precision: 'bf16'})
  })

  it('reads CPU flags from a cpuinfo file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vgg-cpuinfo-'))
    const file = path.join(dir, 'cpuinfo')
    writeFileSync(file, 'processor\t: 0\nmodel name\t: Some CPU\nflags\t\t: fpu avx2 avx512_bf16\nbugs\t\t: none\n')
    assert.deepEqual(readCpuFlags(file), ['fpu', 'avx2', 'avx512_bf16'])
    assert.deepEqual(readCpuFlags(path.join(dir, 'missing')), [])
  })

  it("uses a benchmark's bf16/fp32 ratio only when it was measured on this CPU", () => {
    const cpus = os.cpus()
    const here = {cpu: cpus[0]?.model.trim(), cores: cpus.length}
    const configs = [{bf16OverFp32: 1.5}, {bf16OverFp32: 2.0}, {bf16OverFp32: 1.7}]
    assert.equal(benchRatioForThisMachine({machine: here, configs: Object.fromEntries(configs.map((c, i) => [i, c]))}), 1.7)
    assert.equal(benchRatioForThisMachine({machine: {...here, cpu: 'Another CPU'}, configs: {a: {bf16OverFp32: 2}}}), undefined)
    assert.equal(benchRatioForThisMachine({machine: here, configs: {a: {}}}), undefined)
    assert.equal(benchRatioForThisMachine(undefined), undefined)
  })
})
