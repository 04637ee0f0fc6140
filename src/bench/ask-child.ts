// Runs one bench child entry (a sibling module: train-child, env-arm-child) in a fresh
// process, sends it one request over IPC and waits for its one reply. A child that exits
// without replying yields {ok: false, error} with the last line of its stderr.
import {fork} from 'node:child_process'
import {fileURLToPath} from 'node:url'

export function askChild<Reply extends {ok: boolean; error?: string}>(
  entryName: string,
  request: unknown,
  opts: {env?: NodeJS.ProcessEnv; what: string},
): Promise<{reply: Reply | {ok: false; error: string}; exited: Promise<void>}> {
  const here = import.meta.url
  const entry = fileURLToPath(new URL(here.endsWith('.ts') ? `./${entryName}.ts` : `./${entryName}.js`, here))
  const execArgv = here.endsWith('.ts') ? ['--import', 'tsx'] : [] // under tsx (tests) the child needs the loader
  const child = fork(entry, [], {execArgv, env: opts.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe', 'ipc']})
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)))
  const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())))
  const reply = new Promise<Reply | {ok: false; error: string}>((resolve) => {
    child.once('message', (m) => resolve(m as Reply))
    child.once('exit', (code, signal) => resolve({ok: false, error: `${opts.what} exited (${signal ?? code}): ${stderr.trim().split('\n').at(-1) ?? ''}`}))
    child.send(request as object)
  })
  return reply.then((r) => ({reply: r, exited}))
}
