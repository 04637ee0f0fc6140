// The GPU facts doctor reports (issue 22), tested without a GPU: the CUDA version
// encodings, which mapped files count as the CUDA stack TensorFlow loaded, the probe's
// output read into facts, doctor's JSON fields (null here), and what `setup --gpu`
// fetches and where it stages it, planned without network.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {after, test} from 'node:test'
import {cudaLibrariesInMaps, cudaVersionText, cudnnVersionText, factsFromProbe, loadedCudaRuntime} from '../../src/backend/cuda-runtime.js'
import {cudaLine, NO_CUDA, runDoctor} from '../../src/backend/doctor.js'
import {fromPipWheel, setupPlan, TF_WHEEL_VERSION, TFJS_NODE_VERSION} from '../../scripts/setup-native.mjs'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vgg-gpu-doctor-'))
after(() => fs.rmSync(tmp, {recursive: true, force: true}))
const hasPython = spawnSync('python3', ['--version']).status === 0

test('CUDA and cuDNN version numbers as text (cudaRuntimeGetVersion, cuDriverGetVersion, cudnnGetVersion encodings)', () => {
  assert.equal(cudaVersionText(12040), '12.4')
  assert.equal(cudaVersionText(12060), '12.6')
  assert.equal(cudaVersionText(11080), '11.8')
  assert.equal(cudnnVersionText(90300), '9.3.0')
  assert.equal(cudnnVersionText(91001), '9.10.1')
  assert.equal(cudnnVersionText(8907), '8.9.7')
})

test('the CUDA stack TensorFlow loaded, read from /proc/<pid>/maps lines', () => {
  const maps = [
    '7f0000000000-7f0000100000 r-xp 00000000 08:01 1001  /usr/lib/x86_64-linux-gnu/libcuda.so.550.54.15',
    '7f0000100000-7f0000200000 r--p 00100000 08:01 1001  /usr/lib/x86_64-linux-gnu/libcuda.so.550.54.15',
    '7f0000200000-7f0000300000 r-xp 00000000 08:01 1002  /work/.native/tfjs-node-gpu/deps/lib/libcudart.so.12',
    '7f0000300000-7f0000400000 r-xp 00000000 08:01 1003  /work/.native/tfjs-node-gpu/deps/lib/libcudnn.so.9',
    '7f0000400000-7f0000500000 r-xp 00000000 08:01 1004  /work/.native/tfjs-node-gpu/deps/lib/libcudnn_ops.so.9',
    '7f0000500000-7f0000600000 r-xp 00000000 08:01 1005  /work/.native/tfjs-node-gpu/deps/lib/libcublasLt.so.12',
    '7f0000600000-7f0000700000 r-xp 00000000 08:01 1006  /work/.native/tfjs-node-gpu/deps/lib/libtensorflow.so.2',
    '7f0000700000-7f0000800000 rw-p 00000000 00:00 0     [heap]',
    '7f0000800000-7f0000900000 rw-p 00000000 00:00 0 ',
  ].join('\n')
  const libs = cudaLibrariesInMaps(maps)
  assert.deepEqual(libs.all.map((f) => path.basename(f)), ['libcuda.so.550.54.15', 'libcudart.so.12', 'libcudnn.so.9', 'libcudnn_ops.so.9', 'libcublasLt.so.12'])
  assert.equal(libs.cuda, '/usr/lib/x86_64-linux-gnu/libcuda.so.550.54.15')
  assert.equal(path.basename(libs.cudart!), 'libcudart.so.12')
  assert.equal(path.basename(libs.cudnn!), 'libcudnn.so.9')
  // The CPU build maps none of them.
  assert.deepEqual(cudaLibrariesInMaps(maps.split('\n').slice(6).join('\n')), {all: [], cuda: undefined, cudart: undefined, cudnn: undefined})
})

test("the probe's JSON line read into facts; what it could not read becomes a note, never a guess", () => {
  const f = factsFromProbe({name: 'NVIDIA A100-SXM4-40GB', computeCapability: '8.0', driverCuda: 12040, cudaRuntime: 12050, cudnn: 90300, errors: []}, ['/x/libcuda.so.1'])
  assert.deepEqual(f, {cuda: '12.5', cudnn: '9.3.0', driverCuda: '12.4', name: 'NVIDIA A100-SXM4-40GB', computeCapability: '8.0', libraries: ['/x/libcuda.so.1'], notes: []})
  const partial = factsFromProbe({driverCuda: 12020, errors: ['cuInit returned 100']}, [])
  assert.equal(partial.name, null)
  assert.equal(partial.cuda, null)
  assert.equal(partial.driverCuda, '12.2')
  assert.deepEqual(partial.notes, ['CUDA probe: cuInit returned 100'])
  assert.deepEqual(factsFromProbe(undefined, []), {cuda: null, cudnn: null, driverCuda: null, name: null, computeCapability: null, libraries: [], notes: []})
})

test('in this CPU process no CUDA library is loaded, so nothing is probed', () => {
  const fake = path.join(tmp, 'maps')
  fs.writeFileSync(fake, '7f0000600000-7f0000700000 r-xp 00000000 08:01 1006  /x/libtensorflow.so.2\n')
  const f = loadedCudaRuntime(fake)
  assert.deepEqual([f.libraries, f.cuda, f.cudnn, f.name], [[], null, null, null])
  assert.match(f.notes[0], /no CUDA library/)
  if (fs.existsSync('/proc/self/maps')) assert.deepEqual(loadedCudaRuntime().libraries, [])
})

const hasCc = spawnSync('cc', ['--version']).status === 0

test('the probe asks the mapped libraries themselves (stand-in libcuda, libcudart, libcudnn compiled here)', {skip: (!hasCc || !hasPython) && 'cc or python3 missing'}, () => {
  const dir = path.join(tmp, 'fakecuda')
  fs.mkdirSync(dir)
  const lib = (file: string, source: string) => {
    fs.writeFileSync(path.join(dir, `${file}.c`), `#include <string.h>\n#include <stddef.h>\n${source}\n`)
    const r = spawnSync('cc', ['-shared', '-fPIC', '-o', path.join(dir, file), path.join(dir, `${file}.c`)], {encoding: 'utf8'})
    assert.equal(r.status, 0, r.stderr)
    return path.join(dir, file)
  }
  const cuda = lib(
    'libcuda.so.1',
    `int cuDriverGetVersion(int *v) { *v = 12040; return 0; }
     int cuInit(unsigned flags) { return 0; }
     int cuDeviceGet(int *d, int ordinal) { *d = ordinal; return 0; }
     int cuDeviceGetName(char *name, int len, int d) { strncpy(name, "Stand-in A100", len); return 0; }
     int cuDeviceGetAttribute(int *v, int attr, int d) { *v = attr == 75 ? 8 : attr == 76 ? 6 : -1; return 0; }`,
  )
  const cudart = lib('libcudart.so.12', 'int cudaRuntimeGetVersion(int *v) { *v = 12050; return 0; }')
  const cudnn = lib('libcudnn.so.9', 'size_t cudnnGetVersion(void) { return 91001; }')
  const maps = path.join(tmp, 'fake-maps')
  fs.writeFileSync(maps, [cuda, cudart, cudnn].map((f, i) => `7f000000${i}000-7f000000${i}fff r-xp 00000000 08:01 ${i}  ${f}`).join('\n') + '\n')
  const f = loadedCudaRuntime(maps)
  assert.deepEqual(f, {cuda: '12.5', cudnn: '9.10.1', driverCuda: '12.4', name: 'Stand-in A100', computeCapability: '8.6', libraries: [cuda, cudart, cudnn], notes: []})
})

test("doctor's JSON has the GPU fields, all null without a GPU, and says so in one line", async () => {
  const report = await runDoctor('cpu')
  assert.equal(report.gpu, false)
  assert.deepEqual(report.cuda, NO_CUDA)
  for (const key of ['device', 'computeCapability', 'driver', 'driverCuda', 'runtime', 'cudnn']) assert.ok(key in report.cuda && (report.cuda as unknown as Record<string, unknown>)[key] === null, key)
  // JSON keeps null fields (undefined ones would vanish from doctor --json)
  assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(report)).cuda).sort(), ['computeCapability', 'cudnn', 'device', 'driver', 'driverCuda', 'libraries', 'notes', 'runtime'])
  assert.equal(cudaLine(report), 'none (no GPU, or the CPU build of TensorFlow)')
  const gpu = {device: 'Tesla T4', computeCapability: '7.5', driver: '550.54.15', driverCuda: '12.4', runtime: '12.5', cudnn: '9.3.0', libraries: ['/x/libcuda.so.1'], notes: []}
  assert.equal(cudaLine({gpu: true, cuda: gpu}), 'GPU:0 Tesla T4, compute capability 7.5, driver 550.54.15 (supports CUDA 12.4); TensorFlow loaded CUDA runtime 12.5, cuDNN 9.3.0')
  assert.match(cudaLine({gpu: false, cuda: {...gpu, runtime: null, cudnn: null}}), /CUDA runtime unknown, cuDNN unknown \(not computing on the GPU/)
})

test('setup --gpu, planned without network: tfjs-node-gpu, the tensorflow wheel then its and-cuda wheels, staged in the cache, linked beside libtensorflow', () => {
  const env = {VGG_REPRO_CACHE: '/c', VGG_REPRO_NATIVE_DIR: '/n'}
  const gpu = setupPlan({gpu: true, env})
  assert.equal(gpu.bindingPackage, `@tensorflow/tfjs-node-gpu@${TFJS_NODE_VERSION}`)
  assert.deepEqual(gpu.pipWheels, [`tensorflow==${TF_WHEEL_VERSION}`])
  assert.match(gpu.cudaWheels!, /and-cuda extra/)
  // no stock download on the GPU route: its libtensorflow 2.9.1 wants CUDA 11.2
  assert.deepEqual(gpu.libtensorflowSources, ['LIBTENSORFLOW_ROOT', 'system', 'cache', 'pip wheel'])
  assert.equal(gpu.wheelStage, `/c/native/libtensorflow/gpu-wheel-${TF_WHEEL_VERSION}`)
  assert.deepEqual(Object.keys(gpu.staged), ['lib', 'include', 'extra-libs'].map((d) => `${gpu.wheelStage}/${d}`))
  assert.equal(gpu.bindingLibDir, '/n/tfjs-node-gpu/deps/lib')
  assert.equal(gpu.target, '/n/tfjs-node-gpu')
  const cpu = setupPlan({gpu: false, env})
  assert.deepEqual(cpu.pipWheels, [`tensorflow-cpu==${TF_WHEEL_VERSION}`])
  assert.equal(cpu.cudaWheels, null)
  assert.ok(cpu.libtensorflowSources.includes('stock download'))
  assert.equal(cpu.target, '/n/tfjs-node')
  // --plan prints the same, touching nothing
  const res = spawnSync(process.execPath, ['scripts/setup-native.mjs', '--gpu', '--plan'], {encoding: 'utf8', env: {...process.env, ...env}, timeout: 30_000})
  assert.equal(res.status, 0, res.stderr)
  assert.deepEqual(JSON.parse(res.stdout), gpu)
  assert.ok(!fs.existsSync('/c') && !fs.existsSync('/n'))
})

test('the pip route stages where the plan says (fake wheels, no network)', {skip: !hasPython && 'python3 missing'}, () => {
  const cache = path.join(tmp, 'cache')
  const plan = setupPlan({gpu: true, env: {VGG_REPRO_CACHE: cache}})
  const zip = (file: string, members: Record<string, string>) => {
    const py = 'import json,sys,zipfile\nwith zipfile.ZipFile(sys.argv[1],"w") as z:\n  [z.writestr(k,v) for k,v in json.loads(sys.argv[2]).items()]'
    assert.equal(spawnSync('python3', ['-c', py, file, JSON.stringify(members)]).status, 0)
  }
  const metadata = `Name: tensorflow\nRequires-Dist: nvidia-cudnn-cu12<10.0,>=9.3.0.75 ; extra == "and-cuda"\n`
  const fetched: string[] = []
  const lib = fromPipWheel(path.join(cache, 'native', 'libtensorflow'), true, (spec, dir) => {
    fetched.push(spec)
    if (spec.startsWith('tensorflow=='))
      zip(path.join(dir, 'tensorflow-x.whl'), {
        'tensorflow/libtensorflow_cc.so.2': 'cc',
        'tensorflow/libtensorflow_framework.so.2': 'fw',
        'tensorflow/include/tensorflow/c/c_api.h': '',
        'tensorflow/include/tensorflow/c/eager/c_api.h': '',
        'tensorflow-x.dist-info/METADATA': metadata,
      })
    else zip(path.join(dir, 'nvidia_cudnn_cu12-9.3-py3-none-manylinux2014_x86_64.whl'), {'nvidia/cudnn/lib/libcudnn.so.9': 'so'})
  })
  assert.deepEqual(fetched, [...plan.pipWheels, 'nvidia-cudnn-cu12<10.0,>=9.3.0.75'])
  assert.equal(path.dirname(lib!.lib), `${plan.wheelStage}/lib`)
  assert.deepEqual(lib!.extraLibs, [`${plan.wheelStage}/extra-libs/libcudnn.so.9`])
})
