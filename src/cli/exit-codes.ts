// Exit statuses of the commands besides 0, one list for all of them (user errors:
// cli/errors.ts).
export const EXIT_CODES = {
  /** a run ended with failed jobs or rows, a diverged training, a failed Slurm job */
  failed: 1,
  /** a user error (one line on stderr) */
  userError: 2,
  /** stopped by Ctrl-C (128 + SIGINT) */
  interrupted: 130,
} as const
