// Extract a .tgz with the system tar (GNU tar or bsdtar; Windows 10+ ships tar.exe).
// gzip's CRC-32 and length trailer make tar fail on a corrupt or truncated archive.
import {spawn} from 'node:child_process'

export function extractTgz(archive: string, destDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['-xzf', archive, '-C', destDir], {stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    tar.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    tar.on('error', (e) => reject(new Error(`cannot run tar: ${e.message}`)))
    tar.on('close', (code) => {
      if (code === 0) resolve()
      else reject(new Error(`tar failed (exit ${code}): ${stderr.replace(/\s+/g, ' ').trim()}`))
    })
  })
}
