// Settings columns (config, S, Q, method, members) for the flat timm-style rows. The row
// contract carries them only inside `label` ("D S=[256;512] Q=256,384,512 dense"; fusion
// rows name several nets), so they are read back from it; a label in another shape leaves
// the columns empty rather than guessing.

export interface RowSettings {
  config: string
  trainScale: string
  testScales: string
  method: string
  members: string
}

// Longest first, so "multi-crop & dense" is not read as "dense".
const METHODS = ['multi-crop & dense', 'multi-crop+dense', 'multi-crop', 'dense']
const CONFIGS = new Set(['A', 'A-LRN', 'B', 'C', 'D', 'E'])

export function settingsFromLabel(label: string): RowSettings {
  const out: RowSettings = {config: '', trainScale: '', testScales: '', method: '', members: ''}
  let rest = label.trim()
  for (const m of METHODS) {
    if (rest === m || rest.endsWith(` ${m}`)) {
      out.method = m === 'multi-crop+dense' ? 'multi-crop & dense' : m
      rest = rest.slice(0, rest.length - m.length).trim()
      break
    }
  }
  const s = /(?:^|\s)S=(\S+)/.exec(rest)
  const q = /(?:^|\s)Q=(\S+)/.exec(rest)
  if (s) out.trainScale = s[1]
  if (q) out.testScales = q[1]
  const head = rest.replace(/(?:^|\s)[SQ]=\S+/g, '').trim()
  if (CONFIGS.has(head)) out.config = head
  else out.members = head // fusion rows name their member nets instead of one config
  return out
}
