// Strict zod schemas of the experiment files (unknown keys are errors). The
// shapes after parsing are normalised into types.ts by the loaders.
import {z} from 'zod'
import {slurmSchema} from './slurm-resources.js'
import {parsePrecision} from '../backend/precision.js'
import {CONFIG_NAMES} from '../models/configs.js'
import {TABLE_NAMES, TECHNIQUES} from './types.js'

const positive = z.number().positive()
const positiveInt = z.number().int().positive()
const fraction = z.number().min(0).max(1)
/** The most seeds per net a profile or --seeds may ask for. */
export const MAX_SEEDS_PER_NET = 1000

export const profileSchema = z.strictObject({
  // Joined into runs/<name> and results/<name>: no "/", "..", capitals or spaces.
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, {error: 'profile names are lower-case letters, digits and "-" (they name folders)'}),
  description: z.string(),
  dataset: z.string().min(1),
  numClasses: z.number().int().min(2),
  crop: z.number().int().min(32).multipleOf(32),
  widthFactor: positive.max(1),
  fcWidth: positiveInt,
  batchSize: positiveInt,
  epochs: z.strictObject({base: positiveInt, s384: positiveInt, jitter: positiveInt}),
  lr: z.strictObject({
    initial: positive,
    finetune: positive,
    decayFactor: positive.max(1),
    // a departure from the paper (none there): lr rises linearly over this many epochs in every stage that starts at lr.initial
    warmupEpochs: positive.optional(),
    schedule: z.discriminatedUnion('kind', [
      // lr x decayFactor after each listed fraction of a stage's epochs (fine-tunes stop at the base stage's final lr)
      z.strictObject({kind: z.literal('step'), decayAt: z.array(z.number().gt(0).lt(1)).min(1)}),
      // the paper's rule on the minival: decay after `patience` epochs without a gain of more than minDelta (fraction)
      z.strictObject({kind: z.literal('plateau'), patience: positiveInt, maxDecays: z.number().int().min(0), minDelta: fraction.default(0)}),
    ]),
  }),
  momentum: fraction,
  weightDecay: z.number().min(0),
  dropout: fraction,
  colorShiftStd: z.number().min(0),
  init: z.discriminatedUnion('kind', [
    z.strictObject({kind: z.literal('normal'), std: positive}),
    z.strictObject({kind: z.literal('glorot')}),
    // He et al. 2015: N(0, 2/fan_in), the variance that keeps ReLU activations from shrinking with depth;
    // fcStd: the FC layers N(0, fcStd^2) instead (torchvision's VGG: He convs, N(0, 0.01) FC)
    z.strictObject({kind: z.literal('he'), fcStd: positive.optional()}),
  ]),
  maxTrainImages: positiveInt.optional(),
  maxValImages: positiveInt.optional(),
  /** training images held out (class-balanced) for per-epoch validation and the plateau schedule */
  minivalImages: positiveInt,
  evalBatchSize: positiveInt,
  seed: z.number().int().min(0),
  /** train net A with this many seeds in all to measure training-run noise for the claims */
  seedNoise: z.strictObject({seeds: z.number().int().min(2).max(10)}).optional(),
  /** every trained net of the graph k times (seed i's chain from seed i's parents); --seeds overrides */
  seeds: z.number().int().min(1).max(MAX_SEEDS_PER_NET).optional(),
  /** the budget planner's noise model until a run of the profile has recorded one (src/runner/budget/noise-source.ts) */
  noiseDefaults: z
    .strictObject({
      /** SD over training seeds of one net's top-1 error, points */
      seedSd: positive,
      /** degrees of freedom behind seedSd (seeds measured - 1): a recorded noise resting on fewer does not replace these */
      seedDof: z.number().int().min(1).optional(),
      /** SD over training seeds of a difference between two evaluations of the same net, points */
      evalDiffSd: positive,
      /** share of val images on which two separately trained nets' top-1 outcomes differ */
      discordance: fraction,
      /** the same share for one net evaluated two ways */
      evalDiscordance: fraction,
      /** share of a between-net comparison's per-image variance that seeds average away */
      seedShare: fraction,
    })
    .optional(),
  timeBudgetMinutes: positive.optional(),
  /** fp32, bf16 mixed precision, or auto (bf16 where the hardware runs it natively: src/backend/precision.ts) */
  precision: z
    .string()
    .default('auto')
    .transform((text, ctx) => {
      try {
        return parsePrecision(text, 'precision')
      } catch (error) {
        ctx.addIssue({code: 'custom', message: (error as Error).message.replace(/^precision: /, '')})
        return z.NEVER
      }
    }),
  /** what a run of this profile can and cannot show (printed in summary.md) */
  scope: z.string().min(1).optional(),
  slurm: slurmSchema.optional(),
})

/** Training scale at paper scale: fixed S or a jitter range [Smin, Smax]. */
const scaleSchema = z.union([positiveInt, z.tuple([positiveInt, positiveInt])], {
  error: 'expected a number (fixed S) or [Smin, Smax]',
})

/** Q values are paper scale; 224 is the smallest (a whole crop). */
const qSchema = z.array(z.number().int().min(224)).min(1)

const netRefSchema = z.strictObject({
  config: z.enum(CONFIG_NAMES as [string, ...string[]]),
  scale: scaleSchema,
  q: qSchema.optional(),
})

const rowSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, {error: 'ids are letters, digits, ".", "_", "+" and "-"'}),
  label: z.string().min(1).optional(),
  /** one net, or `nets` for a fusion row */
  net: netRefSchema.optional(),
  nets: z.array(netRefSchema).min(1).optional(),
  technique: z.enum(TECHNIQUES as [string, ...string[]]),
  /** the Q set of the row's nets, unless a net gives its own */
  q: qSchema.optional(),
  paper: z.strictObject({top1: positive, top5: positive, top5Test: positive.optional()}),
})

export const tableFileSchema = z.strictObject({
  table: z.enum(TABLE_NAMES as [string, ...string[]]),
  title: z.string().min(1),
  description: z.string().default(''),
  rows: z.array(rowSchema).min(1),
})

const rowRef = z.string().regex(/^table[3-6]\/[A-Za-z0-9._+-]+$/, {error: 'expected a row reference like "table3/A-256"'})

export const claimsFileSchema = z.strictObject({
  claims: z
    .array(
      z.strictObject({
        id: z.string().min(1),
        text: z.string().min(1),
        section: z.string().min(1),
        /** the metric the verdict is judged on; the other is reported alongside */
        primary: z.enum(['top1', 'top5']),
        margin: z.union([z.strictObject({points: positive}), z.strictObject({relative: positive.max(1)})]).optional(),
        marginReason: z.string().min(1).optional(),
        comparisons: z
          .array(z.strictObject({subject: rowRef, reference: rowRef, expect: z.enum(['lower', 'not-lower'])}))
          .min(1),
      }),
    )
    .min(1),
})

export type ProfileFile = z.infer<typeof profileSchema>
export type TableFile = z.infer<typeof tableFileSchema>
export type ClaimsFile = z.infer<typeof claimsFileSchema>
