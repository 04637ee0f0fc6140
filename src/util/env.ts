// Every VGG_REPRO_* environment setting, declared and read here only (README
// "Environment variables" lists the same table; test/util/env.test.ts keeps the two
// and the sources in step). The install script scripts/setup-native.mjs runs before
// anything is compiled, so it reads its own settings; they are listed here too.
// An empty value counts as unset.
import {markdownTable} from './markdown-table.js'

export interface EnvKnob {
  name: string
  /** what it changes, one line */
  meaning: string
  /** what applies when it is unset */
  unset: string
  /** the tool at run time, the install script, or the test suite */
  readBy: 'tool' | 'install' | 'tests'
}

export const ENV_KNOBS = [
  {name: 'VGG_REPRO_RUNS', meaning: 'runs folder: checkpoints, posteriors, job cache, locks', unset: '`runs/` in the project', readBy: 'tool'},
  {name: 'VGG_REPRO_RESULTS', meaning: 'reports folder (`<folder>/<profile>/`)', unset: '`results/` in the project', readBy: 'tool'},
  {name: 'VGG_REPRO_CACHE', meaning: 'cache folder: datasets, dataset statistics, decoded images, native build', unset: '`$XDG_CACHE_HOME/vgg-repro` or `~/.cache/vgg-repro`', readBy: 'tool'},
  {name: 'VGG_REPRO_EXPERIMENTS', meaning: 'folder of the experiment files (tables, profiles, claims)', unset: '`experiments/` in the project', readBy: 'tool'},
  {name: 'VGG_REPRO_BACKEND', meaning: 'force a backend: `tensorflow`, `wasm`, `cpu` or `auto` (the `--backend` flag wins)', unset: 'auto: native, then wasm, then cpu', readBy: 'tool'},
  {name: 'VGG_REPRO_EAGER_STEP', meaning: '`1`: train and evaluate with eager tfjs ops instead of TensorFlow graph runs on the native backend', unset: 'graph runs on the native backend', readBy: 'tool'},
  {name: 'VGG_REPRO_STOCK_STEP', meaning: "`1`: keep tfjs-node's own Step kernel (ReLU gradients of the eager step) instead of the cheaper one", unset: 'the cheaper kernel (src/backend/fast-step.ts)', readBy: 'tool'},
  {name: 'VGG_REPRO_DECODE_CACHE_MB', meaning: 'memory cap of the decoded training-image cache in MB; `0` turns the cache off', unset: '4000', readBy: 'tool'},
  {name: 'VGG_REPRO_CRASH_RETRIES', meaning: 'times a long command (`all`, `table3`-`6`, `train`, a Slurm job) is started again after its process died by a native crash or a job failed inside TensorFlow (it resumes); `0`: no supervising process', unset: '2', readBy: 'tool'},
  {name: 'VGG_REPRO_SUPERVISED', meaning: 'set by the supervising process in the child doing the work (src/cli/supervise.ts); not a user setting', unset: 'this process supervises', readBy: 'tool'},
  {name: 'VGG_REPRO_PYTHON', meaning: 'Python interpreter of the benchmark (PyTorch reference, GEMM rate)', unset: '`python3`', readBy: 'tool'},
  {name: 'VGG_REPRO_SKIP_NATIVE', meaning: '`1`: `npm install` does not build the native backend (WASM fallback)', unset: 'build it', readBy: 'install'},
  {name: 'VGG_REPRO_NATIVE_DIR', meaning: 'where `setup` puts the native binding', unset: '`.native/` in the project', readBy: 'install'},
  {name: 'VGG_REPRO_TF_VERSION', meaning: 'version of the `tensorflow-cpu` wheel `setup` falls back to', unset: '2.21.0', readBy: 'install'},
  {name: 'VGG_REPRO_KEEP_STAGING', meaning: 'any value: `setup` keeps its staging folder (debugging a failed build)', unset: 'removed', readBy: 'install'},
  {name: 'VGG_REPRO_REQUIRE_NATIVE', meaning: 'any value: the backend test fails unless the native backend loaded (as when `CI` is set)', unset: 'a fallback backend passes', readBy: 'tests'},
] as const satisfies readonly EnvKnob[]

export type EnvName = (typeof ENV_KNOBS)[number]['name']

export const ENV_PREFIX = 'VGG_REPRO_'

/** The setting's value, or undefined when unset or empty. */
export function envValue(name: EnvName, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name]
  return value === undefined || value === '' ? undefined : value
}

/** A switch: on when the variable is `1`. */
export function envFlag(name: EnvName, env: NodeJS.ProcessEnv = process.env): boolean {
  return envValue(name, env) === '1'
}

/**
 * Every VGG_REPRO_* variable that is set (what a Slurm job must inherit), sorted by name;
 * not VGG_REPRO_SUPERVISED, which only this process's supervisor may set for it.
 */
export function vggReproEnv(env: NodeJS.ProcessEnv = process.env): [string, string][] {
  return Object.entries(env)
    .filter((e): e is [string, string] => e[0].startsWith(ENV_PREFIX) && e[0] !== 'VGG_REPRO_SUPERVISED' && e[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
}

const READ_BY = {tool: 'vgg-repro', install: '`npm install` / `setup`', tests: '`npm test`'} as const

/** The README's table of settings. */
export function envKnobsMarkdown(): string {
  return markdownTable(
    ['variable', 'what it sets', 'when unset', 'read by'],
    ENV_KNOBS.map((k) => [`\`${k.name}\``, k.meaning, k.unset, READ_BY[k.readBy]]),
  )
}
