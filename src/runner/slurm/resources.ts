// Per-kind sbatch resources from the profile's `slurm:` block, as sbatch options.
import type {SlurmJobKind, SlurmJobResources, SlurmResources} from '../../experiments/slurm-resources.js'

/** The default entry with the kind's entry over it; extraArgs and setup add up. */
export function resourcesFor(kind: SlurmJobKind, slurm: SlurmResources | undefined): SlurmJobResources {
  const base = slurm?.default ?? {}
  const own = slurm?.[kind] ?? {}
  return {
    ...base,
    ...own,
    extraArgs: [...(base.extraArgs ?? []), ...(own.extraArgs ?? [])],
    setup: [...(base.setup ?? []), ...(own.setup ?? [])],
  }
}

/** sbatch options for the resources (setup lines go into the script instead). */
export function resourceArgs(r: SlurmJobResources): string[] {
  const args: string[] = []
  if (r.partition !== undefined) args.push(`--partition=${r.partition}`)
  if (r.gres !== undefined) args.push(`--gres=${r.gres}`)
  if (r.cpusPerTask !== undefined) args.push(`--cpus-per-task=${r.cpusPerTask}`)
  if (r.mem !== undefined) args.push(`--mem=${r.mem}`)
  if (r.time !== undefined) args.push(`--time=${r.time}`)
  args.push(...(r.extraArgs ?? []))
  return args
}
