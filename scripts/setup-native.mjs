#!/usr/bin/env node
// Builds the native TensorFlow binding of tfjs-node into .native/ so that
// src/backend/backend.ts can load it. Plain JavaScript on purpose: it runs as
// npm's postinstall, before TypeScript is compiled.
//
// The stock @tensorflow/tfjs-node install downloads libtensorflow 2.9.1 from
// Google storage, which fails on machines without that network (and, per tfjs
// issue #8742, often for everyone). So we try, in order:
//   1. an already working binding (.native/ or an installed @tensorflow/tfjs-node)
//   2. a libtensorflow given by LIBTENSORFLOW_ROOT, or found on the system
//      (/usr/local, /usr, /opt/libtensorflow, or a pip-installed tensorflow)
//   3. one extracted by an earlier run (the cache)
//   4. the stock libtensorflow download (CPU only: the GPU pair is CUDA 11.2)
//   5. the TensorFlow wheel from pip (tensorflow-cpu, or tensorflow + CUDA wheels)
// and compile tfjs-node's own binding sources against it with node-gyp.
// Every step prints what it does; failure leaves the WASM fallback and one line.
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

export const TFJS_NODE_VERSION = '4.22.0'
export const TF_WHEEL_VERSION = process.env.VGG_REPRO_TF_VERSION || '2.21.0'
const STOCK_LIBTF_VERSION = '2.9.1'
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

let quiet = false
const log = (msg) => {
  if (!quiet) console.log(`vgg-repro setup: ${msg}`)
}

export class SetupError extends Error {}

export function cacheDir(env = process.env) {
  if (env.VGG_REPRO_CACHE) return env.VGG_REPRO_CACHE
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache')
  return path.join(base, 'vgg-repro')
}

export function variantNames(gpu) {
  return gpu
    ? {variant: 'gpu', pkg: '@tensorflow/tfjs-node-gpu', dir: 'tfjs-node-gpu', wheel: 'tensorflow'}
    : {variant: 'cpu', pkg: '@tensorflow/tfjs-node', dir: 'tfjs-node', wheel: 'tensorflow-cpu'}
}

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts})
  if (res.error) return {ok: false, out: '', err: res.error.message, missing: res.error.code === 'ENOENT'}
  return {ok: res.status === 0, out: res.stdout ?? '', err: res.stderr ?? '', missing: false}
}

function lastLine(text) {
  const lines = String(text).trim().split('\n').filter((l) => l.trim() !== '')
  return lines.length ? lines[lines.length - 1].trim() : ''
}

/** The line that names the error in a Node.js crash report. */
function errorLine(text) {
  const lines = String(text).split('\n').map((l) => l.trim())
  return lines.find((l) => /^(\w*Error|Error)\b|error:/i.test(l)) ?? lastLine(text)
}

function rmrf(p) {
  fs.rmSync(p, {recursive: true, force: true})
}

/** Hard link when possible (same file system, no extra 800 MB), else copy. */
function linkOrCopy(from, to) {
  try {
    fs.linkSync(from, to)
  } catch {
    fs.copyFileSync(from, to)
  }
}

// ---------------------------------------------------------------- load test

/** Loads a binding in a child process (a crash there must not kill us) and runs one conv. */
export function loadTest(moduleDir) {
  const script = `
    process.env.TF_CPP_MIN_LOG_LEVEL = '2'
    const tf = require(${JSON.stringify(moduleDir)})
    const y = tf.conv2d(tf.ones([1, 8, 8, 3]), tf.ones([3, 3, 3, 4]), 1, 'same')
    const v = y.sum().dataSync()[0]
    // 8x8 'same' conv of ones: 22 x 22 valid taps x 3 channels x 4 filters
    if (Math.abs(v - 5808) > 1e-3) throw new Error('conv2d gave ' + v + ', expected 5808')
    console.log(JSON.stringify({backend: tf.getBackend(), tf: tf.backend().binding.TF_Version}))`
  const res = run(process.execPath, ['-e', script], {cwd: ROOT, timeout: 120_000})
  if (!res.ok) return {ok: false, error: errorLine(res.err) || 'the test process failed'}
  try {
    const info = JSON.parse(lastLine(res.out))
    if (info.backend !== 'tensorflow') return {ok: false, error: `backend is ${info.backend}, not tensorflow`}
    return {ok: true, tfVersion: info.tf}
  } catch {
    return {ok: false, error: `unexpected output: ${lastLine(res.out)}`}
  }
}

// ---------------------------------------------------------- tfjs-node sources

/** The tfjs-node(-gpu) npm package (binding sources + JS), fetched once with `npm pack`. */
function fetchTfjsPackage(names, cache) {
  const dest = path.join(cache, 'native', 'pkg', `${names.dir}-${TFJS_NODE_VERSION}`)
  if (fs.existsSync(path.join(dest, 'binding.gyp'))) {
    log(`using cached ${names.pkg}@${TFJS_NODE_VERSION} sources (${dest})`)
    return dest
  }
  log(`fetching ${names.pkg}@${TFJS_NODE_VERSION} from the npm registry (npm pack; its install script is not run)`)
  const tmp = `${dest}.tmp-${process.pid}`
  rmrf(tmp)
  fs.mkdirSync(tmp, {recursive: true})
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const packed = run(npm, ['pack', `${names.pkg}@${TFJS_NODE_VERSION}`, '--silent', '--pack-destination', tmp], {cwd: tmp})
  if (!packed.ok) throw new SetupError(`npm pack ${names.pkg} failed: ${lastLine(packed.err)}`)
  const tgz = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'))
  if (!tgz) throw new SetupError(`npm pack ${names.pkg} produced no tarball`)
  const untar = run('tar', ['xzf', tgz], {cwd: tmp})
  if (!untar.ok) throw new SetupError(`could not unpack ${tgz}: ${lastLine(untar.err)}`)
  rmrf(dest)
  fs.renameSync(path.join(tmp, 'package'), dest)
  rmrf(tmp)
  return dest
}

// ------------------------------------------------------------ libtensorflow

/**
 * A libtensorflow is { desc, include, lib, framework, extraLibs }: a header folder
 * holding tensorflow/c/c_api.h, the main library (libtensorflow.so.2 or the
 * wheel's libtensorflow_cc.so.2) and libtensorflow_framework.so.2.
 */
export function libtensorflowAt(root, desc) {
  const includeCandidates = [path.join(root, 'include'), root]
  const libDirs = [path.join(root, 'lib'), root]
  const include = includeCandidates.find((d) => fs.existsSync(path.join(d, 'tensorflow', 'c', 'eager', 'c_api.h')))
  let lib
  let framework
  for (const dir of libDirs) {
    lib ??= ['libtensorflow.so.2', 'libtensorflow_cc.so.2'].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f))
    framework ??= [path.join(dir, 'libtensorflow_framework.so.2')].find((f) => fs.existsSync(f))
  }
  if (!include || !lib || !framework) return undefined
  const extraDir = path.join(root, 'extra-libs')
  const extraLibs = fs.existsSync(extraDir) ? fs.readdirSync(extraDir).map((f) => path.join(extraDir, f)) : []
  return {desc, include, lib, framework, extraLibs}
}

export function fromEnvRoot(env) {
  const root = env.LIBTENSORFLOW_ROOT
  if (!root) return undefined
  const found = libtensorflowAt(root, `LIBTENSORFLOW_ROOT=${root}`)
  if (!found) {
    throw new SetupError(
      `LIBTENSORFLOW_ROOT=${root} has no include/tensorflow/c/eager/c_api.h with lib/libtensorflow.so.2 (or libtensorflow_cc.so.2) and libtensorflow_framework.so.2`,
    )
  }
  return found
}

function fromSystem(gpu) {
  for (const root of ['/usr/local', '/usr', '/opt/libtensorflow']) {
    const found = libtensorflowAt(root, `system libtensorflow in ${root}`)
    if (found) return found
  }
  // A pip-installed TensorFlow ships the same C API library (find_spec is fast: no import).
  const wheel = gpu ? 'tensorflow' : 'tensorflow'
  const res = run('python3', ['-c', `import importlib.util as u; s = u.find_spec('${wheel}'); print(s.submodule_search_locations[0] if s else '')`])
  const dir = res.ok ? res.out.trim() : ''
  if (dir) return libtensorflowAt(dir, `pip-installed tensorflow in ${dir}`)
  return undefined
}

function fromCache(libCache, names) {
  if (!fs.existsSync(libCache)) return undefined
  const entries = fs.readdirSync(libCache).filter((d) => d.startsWith(`${names.variant}-`) && !d.includes('.tmp-'))
  // Prefer the wheel version we would fetch, then anything else complete.
  entries.sort((a, b) => Number(b.includes(TF_WHEEL_VERSION)) - Number(a.includes(TF_WHEEL_VERSION)))
  for (const entry of entries) {
    const found = libtensorflowAt(path.join(libCache, entry), `cached libtensorflow ${entry} (${path.join(libCache, entry)})`)
    if (found) return found
  }
  return undefined
}

function stockUrl(env) {
  const host = env.TFJS_NODE_CDN_STORAGE || env.CDN_STORAGE || 'https://storage.googleapis.com/'
  const base = env.TFJS_NODE_BASE_URI || `${host}tensorflow/libtensorflow/libtensorflow-`
  return `${base}cpu-linux-x86_64-${STOCK_LIBTF_VERSION}.tar.gz`
}

async function fromStockDownload(libCache, env) {
  const url = stockUrl(env)
  log(`trying the stock libtensorflow ${STOCK_LIBTF_VERSION} download (${url})`)
  const dest = path.join(libCache, `cpu-stock-${STOCK_LIBTF_VERSION}`)
  const tmp = `${dest}.tmp-${process.pid}`
  let response
  try {
    response = await fetch(url, {signal: AbortSignal.timeout(20_000)})
  } catch (error) {
    throw new SetupError(`stock download failed: ${error.cause?.code ?? error.message}`)
  }
  if (!response.ok) throw new SetupError(`stock download failed: HTTP ${response.status}`)
  rmrf(tmp)
  fs.mkdirSync(tmp, {recursive: true})
  const archive = path.join(tmp, 'libtensorflow.tar.gz')
  fs.writeFileSync(archive, Buffer.from(await response.arrayBuffer()))
  const untar = run('tar', ['xzf', archive], {cwd: tmp})
  fs.rmSync(archive, {force: true})
  if (!untar.ok) throw new SetupError(`could not unpack the stock archive: ${lastLine(untar.err)}`)
  rmrf(dest)
  fs.renameSync(tmp, dest)
  return libtensorflowAt(dest, `stock libtensorflow ${STOCK_LIBTF_VERSION}`)
}

/** Requirements of the wheel's `and-cuda` extra, from its METADATA text. */
export function andCudaRequirements(metadata) {
  const reqs = []
  for (const line of metadata.split('\n')) {
    const m = /^Requires-Dist:\s*([^;]+);\s*(.*)$/.exec(line.trim())
    if (m && /extra\s*==\s*["']and-cuda["']/.test(m[2])) {
      const req = m[1].trim().replace(/\s+/g, '').replace(/^([^(]+)\((.*)\)$/, '$1$2')
      // Markers other than the extra (platform) are kept out: we only fetch Linux x86_64.
      reqs.push(req)
    }
  }
  return reqs
}

/**
 * The files we take out of each wheel, as Python fnmatch patterns:
 * the TensorFlow wheel gives the C API libraries and headers; a CUDA wheel
 * (nvidia-*) gives its shared libraries, staged flat beside libtensorflow so
 * TensorFlow's dlopen finds them through its $ORIGIN run path.
 */
export function wheelMembers(kind) {
  if (kind === 'tensorflow') {
    return {
      'tensorflow/libtensorflow_cc.so.2': 'lib/libtensorflow_cc.so.2',
      'tensorflow/libtensorflow_framework.so.2': 'lib/libtensorflow_framework.so.2',
      'tensorflow/include/tensorflow/c/*': 'include/',
      'tensorflow/include/tensorflow/core/platform/*': 'include/',
      'tensorflow/include/tsl/*': 'include/',
      'tensorflow/include/xla/tsl/*': 'include/',
    }
  }
  return {'nvidia/*/lib/*.so*': 'extra-libs/'}
}

// Python's zipfile streams big members without loading them into memory; python3
// is already required for pip, so this adds no dependency.
const EXTRACT_PY = `
import fnmatch, json, os, shutil, sys, zipfile
wheel, dest, members = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
count = 0
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        if info.is_dir():
            continue
        for pattern, target in members.items():
            if not fnmatch.fnmatch(info.filename, pattern):
                continue
            if target.endswith('/'):
                # include/ keeps the path below tensorflow/include/; extra-libs/ is flat
                rel = info.filename.split('tensorflow/include/', 1)[1] if target == 'include/' else os.path.basename(info.filename)
                out = os.path.join(dest, target, rel)
            else:
                out = os.path.join(dest, target)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with z.open(info) as src, open(out, 'wb') as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            count += 1
            break
print(count)
`

export function extractWheel(wheelPath, dest, members) {
  const res = run('python3', ['-c', EXTRACT_PY, wheelPath, dest, JSON.stringify(members)])
  if (!res.ok) throw new SetupError(`could not unpack ${path.basename(wheelPath)}: ${lastLine(res.err)}`)
  return Number(res.out.trim())
}

function pipDownload(spec, dir) {
  const res = run(
    'python3',
    ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--retries', '1', '--timeout', '30', '--progress-bar', 'off', spec, '-d', dir],
    {timeout: 30 * 60_000},
  )
  if (res.missing) throw new SetupError('python3 was not found (it is needed to fetch the TensorFlow wheel with pip)')
  if (!res.ok) {
    if (/No module named pip/.test(res.err)) throw new SetupError('python3 has no pip (install python3-pip)')
    throw new SetupError(`pip could not download ${spec}: ${lastLine(res.err)}`)
  }
}

/** The list of wheels the pip route fetches for a variant (tested without network). */
export function plannedWheels(gpu, metadataOfTensorflowWheel) {
  const names = variantNames(gpu)
  const first = `${names.wheel}==${TF_WHEEL_VERSION}`
  if (!gpu) return [first]
  if (metadataOfTensorflowWheel === undefined) return [first]
  return [first, ...andCudaRequirements(metadataOfTensorflowWheel)]
}

function readWheelMetadata(wheelPath) {
  const py = `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    name = next(n for n in z.namelist() if n.endswith('.dist-info/METADATA'))
    sys.stdout.write(z.read(name).decode('utf-8'))`
  const res = run('python3', ['-c', py, wheelPath])
  if (!res.ok) throw new SetupError(`could not read the metadata of ${path.basename(wheelPath)}`)
  return res.out
}

/** Where extracted libtensorflows are kept, below the cache folder. */
function libCacheDir(cache) {
  return path.join(cache, 'native', 'libtensorflow')
}

/** Where the pip route stages a variant's libraries and headers (the CUDA ones flat in extra-libs/). */
function wheelStageDir(libCache, names) {
  return path.join(libCache, `${names.variant}-wheel-${TF_WHEEL_VERSION}`)
}

/** Downloads the wheel(s) with pip and stages libraries + headers in the cache. */
export function fromPipWheel(libCache, gpu, download = pipDownload) {
  const names = variantNames(gpu)
  log(`fetching ${names.wheel}==${TF_WHEEL_VERSION} with pip (about 275 MB for the CPU wheel) to take its C API library`)
  const dest = wheelStageDir(libCache, names)
  const tmp = `${dest}.tmp-${process.pid}`
  const wheels = fs.mkdtempSync(path.join(os.tmpdir(), 'vgg-repro-wheels-'))
  try {
    rmrf(tmp)
    fs.mkdirSync(tmp, {recursive: true})
    download(`${names.wheel}==${TF_WHEEL_VERSION}`, wheels)
    const tfWheel = fs.readdirSync(wheels).find((f) => f.endsWith('.whl'))
    if (!tfWheel) throw new SetupError(`pip downloaded no wheel for ${names.wheel}==${TF_WHEEL_VERSION}`)
    const planned = plannedWheels(gpu, gpu ? readWheelMetadata(path.join(wheels, tfWheel)) : undefined)
    if (extractWheel(path.join(wheels, tfWheel), tmp, wheelMembers('tensorflow')) < 3) {
      throw new SetupError(`${tfWheel} does not contain the TensorFlow C API library`)
    }
    fs.rmSync(path.join(wheels, tfWheel))
    for (const req of planned.slice(1)) {
      log(`fetching CUDA library wheel ${req}`)
      const one = fs.mkdtempSync(path.join(wheels, 'cuda-'))
      download(req, one)
      for (const whl of fs.readdirSync(one).filter((f) => f.endsWith('.whl'))) {
        extractWheel(path.join(one, whl), tmp, wheelMembers('cuda'))
      }
      rmrf(one)
    }
    rmrf(dest)
    fs.renameSync(tmp, dest)
  } finally {
    rmrf(wheels)
    rmrf(tmp)
  }
  return libtensorflowAt(dest, `${names.wheel} ${TF_WHEEL_VERSION} wheel from pip`)
}

// ------------------------------------------------------------------- build

function napiBuildVersion(pkgDir) {
  const versions = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).binary.napi_versions
  const have = Number(process.versions.napi)
  return Math.max(...versions.filter((v) => v <= have))
}

function nodeGypScript(env) {
  const candidates = [
    env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ].filter(Boolean)
  return candidates.find((p) => fs.existsSync(p) && p.endsWith('.js'))
}

/** Node's headers: npm's nodedir setting, else the prefix Node itself was installed to. */
function nodeDir(env) {
  if (env.npm_config_nodedir) return env.npm_config_nodedir
  const prefix = path.resolve(path.dirname(process.execPath), '..')
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined
}

export function checkToolchain(env = process.env) {
  const missing = []
  const cxx = env.CXX || 'g++'
  if (run(cxx, ['--version']).missing && run('c++', ['--version']).missing) missing.push(`a C++ compiler (${cxx})`)
  if (run('make', ['--version']).missing) missing.push('make')
  if (run('python3', ['--version']).missing) missing.push('python3 (node-gyp needs it)')
  if (missing.length) throw new SetupError(`no build toolchain: missing ${missing.join(', ')} (Debian/Ubuntu: apt-get install g++ make python3)`)
}

/** Puts headers and libraries where tfjs-node's binding.gyp expects them (deps/). */
export function stageDeps(pkgDir, lib) {
  const deps = path.join(pkgDir, 'deps')
  rmrf(deps)
  fs.mkdirSync(path.join(deps, 'lib'), {recursive: true})
  fs.cpSync(lib.include, path.join(deps, 'include'), {recursive: true})
  const libDir = path.join(deps, 'lib')
  linkOrCopy(lib.lib, path.join(libDir, 'libtensorflow.so.2'))
  linkOrCopy(lib.framework, path.join(libDir, 'libtensorflow_framework.so.2'))
  for (const extra of lib.extraLibs) linkOrCopy(extra, path.join(libDir, path.basename(extra)))
  // The linker wants the unversioned names; the loader wants the SONAME the
  // wheel's library records (libtensorflow_cc.so.2).
  fs.symlinkSync('libtensorflow.so.2', path.join(libDir, 'libtensorflow.so'))
  fs.symlinkSync('libtensorflow_framework.so.2', path.join(libDir, 'libtensorflow_framework.so'))
  if (path.basename(lib.lib) === 'libtensorflow_cc.so.2') fs.symlinkSync('libtensorflow.so.2', path.join(libDir, 'libtensorflow_cc.so.2'))
}

function fileIdentity(file) {
  const st = fs.statSync(file)
  return `${fs.realpathSync(file)}:${st.size}:${st.mtimeMs}`
}

/** Compiles (or reuses a cached compile of) the binding into pkgDir/lib/napi-vN. */
function buildBinding(pkgDir, lib, cache, names, env) {
  const napi = napiBuildVersion(pkgDir)
  const key = createHash('sha256')
    .update([names.pkg, TFJS_NODE_VERSION, fileIdentity(lib.lib), process.versions.node, napi].join('|'))
    .digest('hex')
    .slice(0, 16)
  const cached = path.join(cache, 'native', 'builds', key, 'tfjs_binding.node')
  const out = path.join(pkgDir, 'lib', `napi-v${napi}`, 'tfjs_binding.node')
  fs.mkdirSync(path.dirname(out), {recursive: true})
  if (fs.existsSync(cached)) {
    log(`reusing the binding compiled earlier against ${lib.desc}`)
    fs.copyFileSync(cached, out)
    return
  }
  checkToolchain(env)
  const gyp = nodeGypScript(env)
  if (!gyp) throw new SetupError("node-gyp not found (it ships with npm; set npm_config_node_gyp to its bin/node-gyp.js)")
  const nodedir = nodeDir(env)
  log(`compiling tfjs-node's binding against ${lib.desc} with node-gyp (about 15 s)`)
  const args = [gyp, 'rebuild', `--module_name=tfjs_binding`, `--module_path=lib/napi-v${napi}`]
  if (nodedir) args.push(`--nodedir=${nodedir}`)
  const res = run(process.execPath, args, {cwd: pkgDir, timeout: 20 * 60_000})
  if (!res.ok) {
    const why = (res.err + res.out).split('\n').find((l) => /error/i.test(l)) ?? lastLine(res.err)
    throw new SetupError(`node-gyp could not compile the binding: ${why.trim()}`)
  }
  fs.copyFileSync(path.join(pkgDir, 'build', 'Release', 'tfjs_binding.node'), out)
  rmrf(path.join(pkgDir, 'build'))
  fs.mkdirSync(path.dirname(cached), {recursive: true})
  fs.copyFileSync(out, `${cached}.tmp-${process.pid}`)
  fs.renameSync(`${cached}.tmp-${process.pid}`, cached)
}

// -------------------------------------------------------------------- main

function removeInterrupted(nativeDir) {
  if (!fs.existsSync(nativeDir)) return
  for (const entry of fs.readdirSync(nativeDir)) {
    if (entry.includes('.tmp-') || entry.includes('.old-')) {
      log(`removing ${entry}, left by an interrupted install`)
      rmrf(path.join(nativeDir, entry))
    }
  }
}

/** The folder of an @tensorflow/tfjs-node installed by other means, if any. */
function installedPackageBinding(names) {
  const resolved = run(process.execPath, ['-p', `require.resolve(${JSON.stringify(names.pkg)})`], {cwd: ROOT})
  return resolved.ok ? path.dirname(path.dirname(resolved.out.trim())) : undefined
}

/**
 * What `setup` would fetch and where it would put it, without network or side effects
 * (`setup-native.mjs [--gpu] --plan` prints it; the GPU check logs it before building).
 * The CUDA wheels are only known once the TensorFlow wheel is downloaded: they are the
 * requirements of its `and-cuda` extra (andCudaRequirements, read from its METADATA).
 */
export function setupPlan({gpu = false, env = process.env} = {}) {
  const names = variantNames(gpu)
  const cache = cacheDir(env)
  const nativeDir = env.VGG_REPRO_NATIVE_DIR || path.join(ROOT, '.native')
  const libCache = libCacheDir(cache)
  const stage = wheelStageDir(libCache, names)
  return {
    variant: names.variant,
    bindingPackage: `${names.pkg}@${TFJS_NODE_VERSION}`,
    bindingSources: path.join(cache, 'native', 'pkg', `${names.dir}-${TFJS_NODE_VERSION}`),
    libtensorflowSources: ['LIBTENSORFLOW_ROOT', 'system', 'cache', ...(gpu ? [] : ['stock download']), 'pip wheel'],
    pipWheels: plannedWheels(gpu),
    cudaWheels: gpu ? `the requirements of ${names.wheel}==${TF_WHEEL_VERSION}'s and-cuda extra (its METADATA), each fetched with pip --no-deps` : null,
    wheelStage: stage,
    staged: {
      [path.join(stage, 'lib')]: ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'],
      [path.join(stage, 'include')]: ['the C API headers'],
      ...(gpu ? {[path.join(stage, 'extra-libs')]: ['every nvidia/*/lib/*.so* of the CUDA wheels, flat']} : {}),
    },
    // stageDeps links everything (CUDA libraries too) into one folder beside libtensorflow
    bindingLibDir: path.join(nativeDir, names.dir, 'deps', 'lib'),
    target: path.join(nativeDir, names.dir),
  }
}

export async function setup({gpu = false, force = false, env = process.env} = {}) {
  const names = variantNames(gpu)
  const cache = cacheDir(env)
  // Overridable so tests can exercise failures without touching the real install.
  const nativeDir = env.VGG_REPRO_NATIVE_DIR || path.join(ROOT, '.native')
  const target = path.join(nativeDir, names.dir)
  const stampFile = path.join(target, 'vgg-repro-native.json')
  fs.mkdirSync(nativeDir, {recursive: true})
  removeInterrupted(nativeDir)

  if (!force && fs.existsSync(stampFile)) {
    const test = loadTest(target)
    if (test.ok) {
      const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'))
      log(`native TensorFlow ${test.tfVersion} binding already works (${path.relative(ROOT, target) || target}, built from ${stamp.source}); nothing to do`)
      return {ok: true, tfVersion: test.tfVersion, source: stamp.source, reused: true}
    }
    log(`the existing binding in ${path.relative(ROOT, target) || target} does not load (${test.error}); rebuilding`)
  }
  if (!force && !gpu) {
    const installed = installedPackageBinding(names)
    if (installed) {
      const test = loadTest(installed)
      if (test.ok) {
        log(`an installed ${names.pkg} already works (TensorFlow ${test.tfVersion}); using it`)
        return {ok: true, tfVersion: test.tfVersion, source: installed, reused: true}
      }
    }
  }

  const pkgDir = fetchTfjsPackage(names, cache)
  const libCache = libCacheDir(cache)
  const sources = [
    ['LIBTENSORFLOW_ROOT', () => fromEnvRoot(env)],
    ['system', () => fromSystem(gpu)],
    ['cache', () => fromCache(libCache, names)],
    ...(gpu ? [] : [['stock download', () => fromStockDownload(libCache, env)]]),
    ['pip wheel', () => fromPipWheel(libCache, gpu)],
  ]
  const failures = []
  for (const [label, find] of sources) {
    let lib
    try {
      lib = await find()
    } catch (error) {
      failures.push(`${label}: ${error.message}`)
      log(`${label}: ${error.message}`)
      continue
    }
    if (!lib) continue
    const staging = `${target}.tmp-${process.pid}`
    try {
      rmrf(staging)
      fs.cpSync(pkgDir, staging, {recursive: true})
      stageDeps(staging, lib)
      buildBinding(staging, lib, cache, names, env)
      const test = loadTest(staging)
      if (!test.ok) throw new SetupError(`the binding built against ${lib.desc} does not load: ${test.error}`)
      fs.writeFileSync(
        path.join(staging, 'vgg-repro-native.json'),
        JSON.stringify({source: lib.desc, tfVersion: test.tfVersion, tfjsNode: TFJS_NODE_VERSION, builtAt: new Date().toISOString()}, null, 2),
      )
      // Swap in atomically-ish: the old build is moved aside first, never half-overwritten.
      const old = `${target}.old-${process.pid}`
      if (fs.existsSync(target)) fs.renameSync(target, old)
      fs.renameSync(staging, target)
      rmrf(old)
      log(`native TensorFlow ${test.tfVersion} backend ready (${path.relative(ROOT, target) || target}, from ${lib.desc})`)
      return {ok: true, tfVersion: test.tfVersion, source: lib.desc, reused: false}
    } catch (error) {
      if (!env.VGG_REPRO_KEEP_STAGING) rmrf(staging)
      failures.push(`${label}: ${error.message}`)
      log(`${label}: ${error.message}`)
      if (error instanceof SetupError && /no build toolchain|node-gyp not found/.test(error.message)) break
    }
  }
  throw new SetupError(failures.join('; ') || 'no libtensorflow source was usable')
}

function parseArgs(argv) {
  const args = {gpu: false, force: false, fromInstall: false, quiet: false, plan: false}
  for (const a of argv) {
    if (a === '--gpu') args.gpu = true
    else if (a === '--force') args.force = true
    else if (a === '--from-install') args.fromInstall = true
    else if (a === '--quiet') args.quiet = true
    else if (a === '--plan') args.plan = true
    else throw new SetupError(`unknown option ${a} (valid: --gpu, --force, --quiet, --plan)`)
  }
  return args
}

async function main() {
  let args
  try {
    args = parseArgs(process.argv.slice(2))
  } catch (error) {
    console.error(`vgg-repro setup: ${error.message}`)
    return 2
  }
  quiet = args.quiet
  if (args.plan) {
    console.log(JSON.stringify(setupPlan({gpu: args.gpu}), null, 2))
    return 0
  }
  if (process.env.VGG_REPRO_SKIP_NATIVE === '1') {
    log('VGG_REPRO_SKIP_NATIVE=1: not building the native backend (the WASM fallback will be used)')
    return 0
  }
  if (process.platform !== 'linux') {
    console.error(
      `vgg-repro setup: automatic native builds are implemented for Linux only; on ${process.platform}, install @tensorflow/tfjs-node the stock way (npm install @tensorflow/tfjs-node) and vgg-repro will use it.`,
    )
    return args.fromInstall ? 0 : 1
  }
  const started = Date.now()
  try {
    await setup({gpu: args.gpu, force: args.force})
    log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    return 0
  } catch (error) {
    console.error(
      `vgg-repro setup: FAILED to build the native TensorFlow backend (${error.message}). ` +
        'vgg-repro still works on the WASM fallback, which cannot train and evaluates about 10x slower. ' +
        'Fix: install python3 with pip and a C++ toolchain (g++, make), or set LIBTENSORFLOW_ROOT to a libtensorflow 2.x folder, then run `npx vgg-repro setup`.',
    )
    // A failed native build must not fail `npm install`: the fallback works.
    return args.fromInstall ? 0 : 1
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
  process.exitCode = await main()
}
