// How every command ends on a user error (bad files or flags, missing data, a held
// lock, an unusable backend, a full disk ...): one line on stderr and exit 2, never
// a stack trace. Anything else is a bug and keeps its stack. The one list of user
// errors is here.
import type {Command} from '@oclif/core'
import {BackendError} from '../backend/backend.js'
import {PrecisionError} from '../backend/precision.js'
import {DataError} from '../data/errors.js'
import {BudgetError} from '../runner/budget/duration.js'
import {EvalInputError} from '../eval/errors.js'
import {ExperimentFileError} from '../experiments/errors.js'
import {NetSpecError} from '../models/plan.js'
import {LockError} from '../runner/lock.js'
import {GraphError} from '../runner/order-graph.js'
import {SlurmError} from '../runner/slurm/cli.js'
import {FolderAccessError} from '../runner/writable.js'
import {CheckpointError} from '../train/checkpoint.js'
import {TrainError} from '../train/train-error.js'
import {DiskFullError} from '../util/atomic-write.js'
import {EXIT_CODES} from './exit-codes.js'

export {EXIT_CODES}

export const USER_ERRORS = [
  BackendError,
  BudgetError,
  CheckpointError,
  DataError,
  DiskFullError,
  EvalInputError,
  ExperimentFileError,
  FolderAccessError,
  GraphError,
  LockError,
  NetSpecError,
  PrecisionError,
  SlurmError,
  TrainError,
] as const

export function failOneLine(cmd: Command, message: string, exit: number = EXIT_CODES.userError): never {
  process.stderr.write(`vgg-repro: ${message.split('\n')[0]}\n`)
  return cmd.exit(exit)
}

/** A user error (or a file a flag named that does not exist) ends in one line; anything else is rethrown. */
export function failIfUserError(cmd: Command, error: unknown): never {
  if (USER_ERRORS.some((kind) => error instanceof kind)) return failOneLine(cmd, (error as Error).message)
  if (error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT') return failOneLine(cmd, `file not found: ${error.message}`)
  throw error
}
