// Telling a process apart from a later one that got the same pid (Linux /proc).
import {readFileSync} from 'node:fs'
import path from 'node:path'

/** Start time of `pid` in clock ticks since boot (/proc/<pid>/stat field 22), or undefined off Linux. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Field 2 (the command) is in parentheses and may hold spaces: count after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return fields[19]
  } catch {
    return undefined
  }
}

/** Is `pid` running node (argv[0])? undefined when /proc cannot tell. */
export function looksLikeNode(pid: number): boolean | undefined {
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]
    return /^node(js)?(\d+)?$/.test(path.basename(argv0))
  } catch {
    return undefined
  }
}
