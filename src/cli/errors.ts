// User errors end as one line on stderr and a non-zero exit, never a stack trace.
import type {Command} from '@oclif/core'

export function failOneLine(cmd: Command, message: string, exit = 2): never {
  process.stderr.write(`vgg-repro: ${message.split('\n')[0]}\n`)
  return cmd.exit(exit)
}
