// The `slurm:` block of a profile: what each kind of job asks Slurm for when the
// graph runs with `--executor slurm`. `default` applies to every job; a kind's
// entry overrides its keys (extraArgs and setup are added after the default's).
import {z} from 'zod'

/** Options the executor sets itself; a profile giving them would break the graph. */
const RESERVED = ['--dependency', '-d', '--kill-on-invalid-dep', '--output', '-o', '--error', '-e', '--parsable', '--wrap', '--array', '-a', '--chdir', '-D', '--job-name', '-J']

const slurmJobSchema = z.strictObject({
  partition: z.string().regex(/^[\w.,-]+$/, {error: 'a partition name (or a comma-separated list)'}).optional(),
  /** generic resources, e.g. "gpu:1" or "gpu:a100:1" */
  gres: z.string().regex(/^[\w.:,/-]+$/, {error: 'a Slurm --gres value like "gpu:1"'}).optional(),
  cpusPerTask: z.number().int().positive().optional(),
  /** --mem: a number with an optional K/M/G/T unit, e.g. "32G" */
  mem: z.string().regex(/^\d+[KMGT]?$/, {error: 'a --mem value like "32G" or "4000M"'}).optional(),
  /** --time in Slurm's formats: "minutes", "h:m:s", "days-h[:m[:s]]" */
  time: z.string().regex(/^(\d+-\d+(:\d+){0,2}|\d+(:\d+){0,2})$/, {error: 'a Slurm --time like "2-00:00:00", "12:00:00" or "30"'}).optional(),
  /** further sbatch options, one per item, e.g. "--account=vision", "--qos=long" */
  extraArgs: z
    .array(
      z
        .string()
        .regex(/^-/, {error: 'each extra argument is one sbatch option starting with "-"'})
        .refine((a) => !RESERVED.includes(a.split('=')[0]), {error: 'set by the executor itself (dependencies, output, job name)'}),
    )
    .optional(),
  /** shell lines run before the job in its batch script, e.g. "module load cuda/12.2" */
  setup: z.array(z.string()).optional(),
})

export const slurmSchema = z.strictObject({
  default: slurmJobSchema.optional(),
  train: slurmJobSchema.optional(),
  eval: slurmJobSchema.optional(),
  combine: slurmJobSchema.optional(),
  /** the last job: renders the reports when every other job has ended */
  report: slurmJobSchema.optional(),
})

export type SlurmJobResources = z.infer<typeof slurmJobSchema>
export type SlurmResources = z.infer<typeof slurmSchema>
export type SlurmJobKind = Exclude<keyof SlurmResources, 'default'>
