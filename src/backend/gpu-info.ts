// The NVIDIA GPUs of this machine as nvidia-smi reports them (name, compute capability,
// driver): what doctor prints and what `auto` precision decides from on a GPU (bf16 from
// compute capability 8.0). Parsing is apart from the call so it is tested without a GPU.
import {execFileSync} from 'node:child_process'
import {gpuPresent} from './backend.js'

export interface GpuFacts {
  index: number
  name: string
  /** e.g. "8.6"; undefined where nvidia-smi is too old to report it */
  computeCapability?: string
  driver?: string
}

const QUERY = '--query-gpu=index,name,compute_cap,driver_version'

/** nvidia-smi's `QUERY --format=csv,noheader` output, one GPU per line. */
export function parseNvidiaSmi(csv: string): GpuFacts[] {
  return csv
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [index, name, cc, driver] = line.split(',').map((x) => x.trim())
      const known = (x: string | undefined) => (x === undefined || x === '' || /^\[N\/A\]$|^N\/A$/i.test(x) ? undefined : x)
      return {index: Number(index), name: name ?? 'unknown GPU', computeCapability: known(cc), driver: known(driver)}
    })
}

let cached: GpuFacts[] | undefined

/** This machine's GPUs; [] without a device, a placeholder entry when nvidia-smi cannot be run. */
export function nvidiaGpus(): GpuFacts[] {
  if (cached !== undefined) return cached
  if (!gpuPresent()) return (cached = [])
  try {
    cached = parseNvidiaSmi(execFileSync('nvidia-smi', [QUERY, '--format=csv,noheader'], {encoding: 'utf8', timeout: 10_000}))
  } catch {
    cached = [{index: 0, name: 'NVIDIA device present (nvidia-smi not available)'}]
  }
  return cached
}
