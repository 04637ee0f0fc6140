// The CUDA runtime and cuDNN that TensorFlow actually loaded into this process (doctor
// prints them): the library files mapped in /proc/self/maps, each asked for its version,
// and the driver asked for GPU:0's name and compute capability where nvidia-smi is too
// old to report it.
//
// UNVERIFIED: no GPU machine was available. The calls (cuDriverGetVersion, cuInit,
// cuDeviceGet, cuDeviceGetName, cuDeviceGetAttribute 75/76 = compute capability
// major/minor, cudaRuntimeGetVersion, cudnnGetVersion) and their number encodings come
// from NVIDIA's documentation and headers. The parsing is tested on the CPU with sample
// texts; the probe itself has never run against a real driver.
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'

export interface CudaRuntimeFacts {
  /** the CUDA runtime TensorFlow loaded (libcudart), e.g. "12.5" */
  cuda: string | null
  /** the cuDNN TensorFlow loaded, e.g. "9.3.0" */
  cudnn: string | null
  /** the newest CUDA the driver supports (cuDriverGetVersion), e.g. "12.4" */
  driverCuda: string | null
  /** GPU:0 as the driver names it (honours CUDA_VISIBLE_DEVICES and CUDA's device order, as TensorFlow does) */
  name: string | null
  computeCapability: string | null
  /** the CUDA library files mapped into this process; empty: TensorFlow loaded no CUDA */
  libraries: string[]
  /** what could not be read, one short line each */
  notes: string[]
}

/** CUDA's int version (1000 x major + 10 x minor) as text: 12040 -> "12.4". */
export function cudaVersionText(n: number): string {
  return `${Math.floor(n / 1000)}.${Math.floor((n % 1000) / 10)}`
}

/** cudnnGetVersion's number as text: cuDNN 9 encodes major*10000+minor*100+patch (90300 -> "9.3.0"), 8 and older major*1000+minor*100+patch (8907 -> "8.9.7"). */
export function cudnnVersionText(n: number): string {
  if (n >= 10000) return `${Math.floor(n / 10000)}.${Math.floor((n % 10000) / 100)}.${n % 100}`
  return `${Math.floor(n / 1000)}.${Math.floor((n % 1000) / 100)}.${n % 100}`
}

const CUDA_LIBRARY = /^lib(cuda|cudart|cudnn[a-z_]*|cublas|cublasLt|cufft|curand|cusolver|cusparse|nccl|nvrtc|nvJitLink)\.so(\.\d+)*$/

/** The CUDA library files in a /proc/<pid>/maps text: all of them, and the driver's, the runtime's and cuDNN's. */
export function cudaLibrariesInMaps(maps: string): {all: string[]; cuda?: string; cudart?: string; cudnn?: string} {
  const all: string[] = []
  for (const line of maps.split('\n')) {
    const file = line.trim().split(/\s+/).slice(5).join(' ')
    const base = file.slice(file.lastIndexOf('/') + 1)
    if (file.startsWith('/') && CUDA_LIBRARY.test(base) && !all.includes(file)) all.push(file)
  }
  const find = (re: RegExp) => all.find((f) => re.test(f.slice(f.lastIndexOf('/') + 1)))
  return {all, cuda: find(/^libcuda\.so/), cudart: find(/^libcudart\.so/), cudnn: find(/^libcudnn\.so/)}
}

// A child process asks the libraries (a crash there must not kill doctor); python3 is
// already required by the native build, and ctypes adds no dependency.
const PROBE_PY = `
import ctypes, json, sys
p = json.loads(sys.argv[1])
out = {'errors': []}
def load(path):
    try:
        return ctypes.CDLL(path)
    except OSError as e:
        out['errors'].append(str(e))
        return None
def call(lib, fn, *args):
    # the function's CUresult / cudaError_t (0 = success), or None when the library lacks it
    try:
        return getattr(lib, fn)(*args)
    except AttributeError:
        out['errors'].append('%s has no %s' % (lib._name, fn))
        return None
cu = load(p.get('cuda') or 'libcuda.so.1')
if cu is not None:
    v = ctypes.c_int()
    if call(cu, 'cuDriverGetVersion', ctypes.byref(v)) == 0:
        out['driverCuda'] = v.value
    rc = call(cu, 'cuInit', 0)
    dev = ctypes.c_int()
    if rc != 0:
        out['errors'].append('cuInit returned %s' % rc)
    elif call(cu, 'cuDeviceGet', ctypes.byref(dev), 0) != 0:
        out['errors'].append('cuDeviceGet(0) failed')
    else:
        name = ctypes.create_string_buffer(256)
        if call(cu, 'cuDeviceGetName', name, 256, dev) == 0:
            out['name'] = name.value.decode('utf-8', 'replace')
        major, minor = ctypes.c_int(), ctypes.c_int()
        # 75, 76: CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR / _MINOR
        if call(cu, 'cuDeviceGetAttribute', ctypes.byref(major), 75, dev) == 0 and call(cu, 'cuDeviceGetAttribute', ctypes.byref(minor), 76, dev) == 0:
            out['computeCapability'] = '%d.%d' % (major.value, minor.value)
rt = load(p['cudart']) if p.get('cudart') else None
if rt is not None:
    v = ctypes.c_int()
    if call(rt, 'cudaRuntimeGetVersion', ctypes.byref(v)) == 0:
        out['cudaRuntime'] = v.value
dn = load(p['cudnn']) if p.get('cudnn') else None
if dn is not None and hasattr(dn, 'cudnnGetVersion'):
    dn.cudnnGetVersion.restype = ctypes.c_size_t
    out['cudnn'] = int(dn.cudnnGetVersion())
elif dn is not None:
    out['errors'].append('%s has no cudnnGetVersion' % dn._name)
print(json.dumps(out))
`

interface ProbeOutput {
  name?: string
  computeCapability?: string
  driverCuda?: number
  cudaRuntime?: number
  cudnn?: number
  errors?: string[]
}

/** Reads the probe's JSON line into facts (tested with sample outputs). */
export function factsFromProbe(out: ProbeOutput | undefined, libraries: string[], notes: string[] = []): CudaRuntimeFacts {
  for (const e of out?.errors ?? []) notes.push(`CUDA probe: ${e}`)
  return {
    cuda: typeof out?.cudaRuntime === 'number' && out.cudaRuntime > 0 ? cudaVersionText(out.cudaRuntime) : null,
    cudnn: typeof out?.cudnn === 'number' && out.cudnn > 0 ? cudnnVersionText(out.cudnn) : null,
    driverCuda: typeof out?.driverCuda === 'number' && out.driverCuda > 0 ? cudaVersionText(out.driverCuda) : null,
    name: out?.name ?? null,
    computeCapability: out?.computeCapability ?? null,
    libraries,
    notes,
  }
}

function runProbe(libs: {cuda?: string; cudart?: string; cudnn?: string}, notes: string[]): ProbeOutput | undefined {
  const res = spawnSync('python3', ['-c', PROBE_PY, JSON.stringify(libs)], {encoding: 'utf8', timeout: 30_000})
  if (res.error !== undefined || res.status !== 0) {
    notes.push(`the CUDA version probe (python3 ctypes) failed: ${res.error?.message ?? (res.stderr.trim().split('\n').pop() || `exit ${res.status}`)}`)
    return undefined
  }
  try {
    return JSON.parse(res.stdout.trim().split('\n').pop() ?? '') as ProbeOutput
  } catch {
    notes.push('the CUDA version probe printed no JSON')
    return undefined
  }
}

let gpu0: {name: string; computeCapability?: string} | null | undefined

/** GPU:0 as the driver API names it (CUDA_VISIBLE_DEVICES and CUDA's order, as TensorFlow), once per process; null when it cannot be asked. */
export function driverGpu0(): {name: string; computeCapability?: string} | null {
  if (gpu0 !== undefined) return gpu0
  const f = factsFromProbe(runProbe({}, []), [])
  gpu0 = f.name === null ? null : {name: f.name, ...(f.computeCapability !== null ? {computeCapability: f.computeCapability} : {})}
  return gpu0
}

/**
 * The CUDA facts of this process: call after TensorFlow's GPU build ran an op, so its
 * CUDA libraries are loaded. Nothing is probed (no child process) when TensorFlow loaded
 * no CUDA library.
 */
export function loadedCudaRuntime(mapsFile = '/proc/self/maps'): CudaRuntimeFacts {
  let maps = ''
  try {
    maps = readFileSync(mapsFile, 'utf8')
  } catch {
    return factsFromProbe(undefined, [], [`${mapsFile} is not readable: the loaded CUDA libraries are unknown`])
  }
  const libs = cudaLibrariesInMaps(maps)
  if (libs.all.length === 0) return factsFromProbe(undefined, [], ['TensorFlow has loaded no CUDA library into this process'])
  const notes: string[] = []
  const out = runProbe({cuda: libs.cuda, cudart: libs.cudart, cudnn: libs.cudnn}, notes)
  return factsFromProbe(out, libs.all, notes)
}
