// The native install script: what it fetches and stages (incl. the GPU route,
// which cannot run here), and that failures leave one line and no debris.
import {test} from 'node:test'
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  andCudaRequirements,
  plannedWheels,
  fromPipWheel,
  libtensorflowAt,
  stageDeps,
  fromEnvRoot,
  TF_WHEEL_VERSION,
} from '../../scripts/setup-native.mjs'

const SCRIPT = path.resolve('scripts/setup-native.mjs')
const hasPython = spawnSync('python3', ['--version']).status === 0

const METADATA = `Metadata-Version: 2.1
Name: tensorflow
Version: ${TF_WHEEL_VERSION}
Requires-Dist: absl-py >=1.0.0
Requires-Dist: numpy >=1.26.0
Requires-Dist: nvidia-cublas-cu12 <13.0,>=12.5.3.2 ; extra == "and-cuda"
Requires-Dist: nvidia-cudnn-cu12 <10.0,>=9.3.0.75 ; extra == "and-cuda"
Requires-Dist: nvidia-cuda-runtime-cu12 (<13.0,>=12.5.82) ; extra == 'and-cuda'
Requires-Dist: tensorflow-io-gcs-filesystem >=0.23.1 ; python_version < "3.12"
`

function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `vgg-repro-${prefix}-`))
}

/** Writes a zip (a fake wheel) with the given members, via python's zipfile. */
function makeZip(file: string, members: Record<string, string>): void {
  const py = 'import json,sys,zipfile\nwith zipfile.ZipFile(sys.argv[1],"w") as z:\n  [z.writestr(k,v) for k,v in json.loads(sys.argv[2]).items()]'
  const res = spawnSync('python3', ['-c', py, file, JSON.stringify(members)])
  assert.equal(res.status, 0, String(res.stderr))
}

test('the GPU route fetches exactly the and-cuda wheels named by the TensorFlow wheel', () => {
  assert.deepEqual(andCudaRequirements(METADATA), [
    'nvidia-cublas-cu12<13.0,>=12.5.3.2',
    'nvidia-cudnn-cu12<10.0,>=9.3.0.75',
    'nvidia-cuda-runtime-cu12<13.0,>=12.5.82',
  ])
  assert.deepEqual(plannedWheels(false), [`tensorflow-cpu==${TF_WHEEL_VERSION}`])
  assert.deepEqual(plannedWheels(true, METADATA), [`tensorflow==${TF_WHEEL_VERSION}`, ...andCudaRequirements(METADATA)])
})

test('the GPU route stages the C API, headers and CUDA libraries where the binding finds them', {skip: !hasPython && 'python3 missing'}, () => {
  const cache = tmpDir('libcache')
  const fetched: string[] = []
  // Stand-in for pip: writes small fake wheels with the real wheels' layout.
  const fakePip = (spec: string, dir: string) => {
    fetched.push(spec)
    if (spec.startsWith('tensorflow==')) {
      makeZip(path.join(dir, 'tensorflow-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl'), {
        'tensorflow/libtensorflow_cc.so.2': 'cc',
        'tensorflow/libtensorflow_framework.so.2': 'fw',
        'tensorflow/include/tensorflow/c/c_api.h': '//',
        'tensorflow/include/tensorflow/c/eager/c_api.h': '//',
        'tensorflow/include/tsl/platform/ctstring.h': '//',
        'tensorflow/python/ops/array_ops.py': '# not taken',
        'tensorflow-2.21.0.dist-info/METADATA': METADATA,
      })
    } else {
      const name = spec.split(/[<>=]/)[0]
      const lib = name.replace('nvidia-', '').replace('-cu12', '').replace(/-/g, '_')
      makeZip(path.join(dir, `${name.replace(/-/g, '_')}-12.5-py3-none-manylinux2014_x86_64.whl`), {
        [`nvidia/${lib}/lib/lib${lib}.so.12`]: 'so',
        [`nvidia/${lib}/include/${lib}.h`]: '// not taken',
      })
    }
  }
  const lib = fromPipWheel(cache, true, fakePip)
  assert.deepEqual(fetched, plannedWheels(true, METADATA))
  assert.ok(lib, 'a libtensorflow was staged')
  assert.equal(path.basename(lib.lib), 'libtensorflow_cc.so.2')
  assert.ok(fs.existsSync(path.join(lib.include, 'tensorflow/c/eager/c_api.h')))
  assert.ok(fs.existsSync(path.join(lib.include, 'tsl/platform/ctstring.h')))
  assert.ok(!fs.existsSync(path.join(path.dirname(lib.include), 'python')), 'python sources are not extracted')
  assert.deepEqual(lib.extraLibs.map((f: string) => path.basename(f)).sort(), ['libcublas.so.12', 'libcuda_runtime.so.12', 'libcudnn.so.12'])
  // Staged into the binding's deps/: CUDA libraries flat beside libtensorflow
  // (TensorFlow dlopens them through its $ORIGIN run path).
  const pkg = tmpDir('pkg')
  stageDeps(pkg, lib)
  const names = fs.readdirSync(path.join(pkg, 'deps/lib')).sort()
  assert.deepEqual(names, [
    'libcublas.so.12',
    'libcuda_runtime.so.12',
    'libcudnn.so.12',
    'libtensorflow.so',
    'libtensorflow.so.2',
    'libtensorflow_cc.so.2',
    'libtensorflow_framework.so',
    'libtensorflow_framework.so.2',
  ])
  assert.equal(fs.readlinkSync(path.join(pkg, 'deps/lib/libtensorflow_cc.so.2')), 'libtensorflow.so.2')
  assert.ok(fs.readdirSync(cache).every((d) => !d.includes('.tmp-')), 'no temp folder left in the cache')
})

test('a libtensorflow folder with the wrong layout is refused with one line', () => {
  const bad = tmpDir('badlib')
  fs.mkdirSync(path.join(bad, 'lib'))
  fs.writeFileSync(path.join(bad, 'lib', 'libtensorflow.so.2'), '')
  assert.equal(libtensorflowAt(bad, 'x'), undefined)
  assert.throws(() => fromEnvRoot({LIBTENSORFLOW_ROOT: bad}), (e: Error) => /LIBTENSORFLOW_ROOT=.* has no include/.test(e.message) && !e.message.includes('\n'))
})

/** Runs the script against a scratch .native and cache, with a chosen PATH. */
function runSetup(env: Record<string, string>) {
  return spawnSync(process.execPath, [SCRIPT, '--force'], {encoding: 'utf8', env: {...process.env, ...env}, timeout: 120_000})
}

function fakeLibtensorflow(root: string): void {
  fs.mkdirSync(path.join(root, 'include/tensorflow/c/eager'), {recursive: true})
  fs.writeFileSync(path.join(root, 'include/tensorflow/c/c_api.h'), '')
  fs.writeFileSync(path.join(root, 'include/tensorflow/c/eager/c_api.h'), '')
  fs.mkdirSync(path.join(root, 'lib'))
  // Not a real library: as if the wrong thing (or a broken download) were given.
  fs.writeFileSync(path.join(root, 'lib/libtensorflow.so.2'), 'not an ELF file')
  fs.writeFileSync(path.join(root, 'lib/libtensorflow_framework.so.2'), 'not an ELF file')
}

test('a broken libtensorflow, no network and no pip wheel: one FAILED line, exit 1, nothing left behind', {timeout: 180_000}, () => {
  const native = tmpDir('native')
  const cache = tmpDir('cache')
  const lib = tmpDir('lib')
  fakeLibtensorflow(lib)
  // Debris of an interrupted earlier install must be cleaned up.
  fs.mkdirSync(path.join(native, 'tfjs-node.tmp-12345'))
  const res = runSetup({
    VGG_REPRO_NATIVE_DIR: native,
    VGG_REPRO_CACHE: cache,
    LIBTENSORFLOW_ROOT: lib,
    TFJS_NODE_BASE_URI: 'http://127.0.0.1:9/none-',
    VGG_REPRO_TF_VERSION: '0.0.1',
  })
  assert.equal(res.status, 1, res.stderr)
  const failed = res.stderr.split('\n').filter((l) => l.includes('FAILED'))
  assert.equal(failed.length, 1, res.stderr)
  assert.match(failed[0], /LIBTENSORFLOW_ROOT: .*(compile|load)/)
  assert.match(failed[0], /stock download/)
  assert.match(failed[0], /pip/)
  assert.match(failed[0], /Fix: /)
  assert.match(res.stdout, /removing tfjs-node\.tmp-12345, left by an interrupted install/)
  assert.deepEqual(fs.readdirSync(native), [], 'no half-built binding is left')
})

test('no C++ toolchain: the failure says so in one line', {timeout: 120_000}, () => {
  const native = tmpDir('native')
  const cache = tmpDir('cache')
  const lib = tmpDir('lib')
  fakeLibtensorflow(lib)
  // A PATH with node, npm and tar but no compiler or make.
  const bin = tmpDir('bin')
  for (const tool of ['npm', 'tar', 'gzip', 'node', 'python3']) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], {encoding: 'utf8'}).stdout.trim()
    if (found) fs.symlinkSync(found, path.join(bin, tool))
  }
  const res = runSetup({
    PATH: bin,
    CXX: 'no-such-compiler',
    VGG_REPRO_NATIVE_DIR: native,
    VGG_REPRO_CACHE: cache,
    LIBTENSORFLOW_ROOT: lib,
  })
  assert.equal(res.status, 1, res.stderr)
  const failed = res.stderr.split('\n').filter((l) => l.includes('FAILED'))
  assert.equal(failed.length, 1, res.stderr)
  assert.match(failed[0], /no build toolchain: missing a C\+\+ compiler/)
  assert.deepEqual(fs.readdirSync(native), [])
})

test('as npm postinstall a failure still exits 0 (the WASM fallback works)', () => {
  const res = spawnSync(process.execPath, [SCRIPT, '--from-install', '--bogus'], {encoding: 'utf8'})
  assert.equal(res.status, 2, 'an unknown option is a usage error even from install')
  const skip = spawnSync(process.execPath, [SCRIPT, '--from-install'], {encoding: 'utf8', env: {...process.env, VGG_REPRO_SKIP_NATIVE: '1'}})
  assert.equal(skip.status, 0)
  assert.match(skip.stdout, /VGG_REPRO_SKIP_NATIVE=1/)
})
