// Types for the plain-JS install script, so TypeScript tests can import it.
export const TFJS_NODE_VERSION: string
export const TF_WHEEL_VERSION: string
export class SetupError extends Error {}
export interface Libtensorflow {
  desc: string
  include: string
  lib: string
  framework: string
  extraLibs: string[]
}
export function cacheDir(env?: Record<string, string | undefined>): string
export function variantNames(gpu: boolean): {variant: string; pkg: string; dir: string; wheel: string}
export function loadTest(moduleDir: string): {ok: boolean; tfVersion?: string; error?: string}
export function libtensorflowAt(root: string, desc: string): Libtensorflow | undefined
export function fromEnvRoot(env: Record<string, string | undefined>): Libtensorflow | undefined
export function andCudaRequirements(metadata: string): string[]
export function wheelMembers(kind: 'tensorflow' | 'cuda'): Record<string, string>
export function extractWheel(wheelPath: string, dest: string, members: Record<string, string>): number
export function plannedWheels(gpu: boolean, metadataOfTensorflowWheel?: string): string[]
export function fromPipWheel(libCache: string, gpu: boolean, download?: (spec: string, dir: string) => void): Libtensorflow | undefined
export function checkToolchain(env?: Record<string, string | undefined>): void
export function stageDeps(pkgDir: string, lib: Libtensorflow): void
export interface SetupPlan {
  variant: 'cpu' | 'gpu'
  bindingPackage: string
  bindingSources: string
  libtensorflowSources: string[]
  pipWheels: string[]
  cudaWheels: string | null
  wheelStage: string
  staged: Record<string, string[]>
  bindingLibDir: string
  target: string
}
export function setupPlan(opts?: {gpu?: boolean; env?: Record<string, string | undefined>}): SetupPlan
export function setup(opts?: {gpu?: boolean; force?: boolean; env?: Record<string, string | undefined>}): Promise<{ok: boolean; tfVersion: string; source: string; reused: boolean}>
