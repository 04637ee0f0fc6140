// `bench --env-arm`: the training step under other environment settings, side by side with
// the settings the bench runs under, in one run. TensorFlow reads its thread pools' sizes and
// oneDNN options when the library starts, so every arm measures in a fresh child process
// (env-arm-child.ts), and so does the reference arm ("as run"), so that both pay the same.
// Arms alternate their order per config (AB, BA, ...) so that a load change hits them alike.
import type {Precision} from '../backend/precision.js'
import type {ConfigName} from '../models/index.js'
import {askChild} from './ask-child.js'
import type {EnvArmReply, EnvArmRequest} from './env-arm-child.js'
import type {StepSetup} from './step-runner.js'

export interface EnvArm {
  name: string
  /** variables set for the arm (on top of the bench's own environment) */
  env: Record<string, string>
}

export interface EnvArmsResult {
  arms: (EnvArm & {seen: Record<string, string | null>})[]
  warmup: number
  steps: number
  rows: {config: ConfigName; byArm: Record<string, Partial<Record<Precision, number>>>}[]
}

export const REFERENCE_ARM = 'as run'

/** `name:KEY=V[,KEY=V]` or `KEY=V[,KEY=V]` (then the assignments are the name). */
export function parseEnvArm(spec: string): EnvArm {
  const colon = spec.indexOf(':')
  const name = colon > 0 ? spec.slice(0, colon).trim() : spec.trim()
  const body = colon > 0 ? spec.slice(colon + 1) : spec
  const env: Record<string, string> = {}
  for (const part of body.split(',')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*?)\s*$/.exec(part)
    if (m === null) throw new Error(`--env-arm ${spec}: "${part}" is not KEY=VALUE (form: name:KEY=VALUE[,KEY=VALUE])`)
    env[m[1]] = m[2]
  }
  if (name === REFERENCE_ARM) throw new Error(`--env-arm ${spec}: "${REFERENCE_ARM}" names the bench's own settings; choose another name`)
  return {name, env}
}

async function runArm(arm: EnvArm, req: EnvArmRequest): Promise<EnvArmReply> {
  const {reply} = await askChild<EnvArmReply>('env-arm-child', req, {env: {...process.env, ...arm.env}, what: `arm ${arm.name}: child`})
  return reply
}

export async function measureEnvArms(opts: {
  arms: EnvArm[]
  configs: ConfigName[]
  precisions: Precision[]
  setupOf: (config: ConfigName, precision: Precision) => StepSetup
  warmup: number
  steps: number
  log: (line: string) => void
}): Promise<EnvArmsResult> {
  const all: EnvArm[] = [{name: REFERENCE_ARM, env: {}}, ...opts.arms]
  const keys = [...new Set(opts.arms.flatMap((a) => Object.keys(a.env)))].sort()
  const seen = new Map<string, Record<string, string | null>>()
  const rows: EnvArmsResult['rows'] = []
  for (const [i, config] of opts.configs.entries()) {
    const order = i % 2 === 0 ? all : [...all].reverse()
    const byArm: EnvArmsResult['rows'][number]['byArm'] = {}
    for (const arm of order) {
      opts.log(`${config}: env arm "${arm.name}" (${Object.entries(arm.env).map(([k, v]) => `${k}=${v}`).join(' ') || 'the bench\'s own settings'}), ${opts.precisions.join(' and ')}, fresh process...`)
      const req: EnvArmRequest = {setups: opts.precisions.map((p) => ({label: p, setup: opts.setupOf(config, p)})), warmup: opts.warmup, steps: opts.steps, keys}
      const reply = await runArm(arm, req)
      if (!reply.ok) throw new Error(reply.error ?? `arm ${arm.name} failed`)
      seen.set(arm.name, reply.env ?? {})
      byArm[arm.name] = Object.fromEntries(reply.timings!.map((t) => [t.label, t.imgPerS]))
    }
    rows.push({config, byArm})
  }
  return {arms: all.map((a) => ({...a, seen: seen.get(a.name) ?? {}})), warmup: opts.warmup, steps: opts.steps, rows}
}
