// ImageFolder layout reader: <root>/train/<class>/**/<image>, <root>/val/<class>/**/<image>.
import {createHash} from 'node:crypto'
import {readdir, realpath, stat} from 'node:fs/promises'
import path from 'node:path'
import {DataError} from './errors.js'

export interface Sample {
  /** absolute path of the image file */
  path: string
  /** index into ImageFolderIndex.classes */
  label: number
}

export interface ImageFolderIndex {
  /** absolute dataset root */
  root: string
  /** class folder names of train/, sorted by code point */
  classes: string[]
  train: Sample[]
  val: Sample[]
  /** dataset identity: hash of the relative file list and file sizes */
  id: string
}

const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png', '.webp'])

export function isImageFile(name: string): boolean {
  return IMAGE_EXT.has(path.extname(name).toLowerCase())
}

// Code-point order, not locale order: the same listing on every machine.
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory()
  } catch {
    return false
  }
}

interface FileEntry { rel: string; abs: string; size: number }

/**
 * Image files below dir (recursive, symlinks followed), dotfiles skipped (e.g. macOS
 * ._x.jpg). A symlink back to a folder being listed (a loop), or to the split or
 * dataset folder, is not followed: it would list the same images again and again,
 * or other classes' images, under this class's label.
 */
async function listImages(dir: string, relDir: string, out: FileEntry[], ancestors: Set<string> = new Set()): Promise<void> {
  const real = await realpath(dir)
  if (ancestors.has(real)) return
  const inside = new Set(ancestors).add(real)
  const names = (await readdir(dir)).sort(byCodePoint)
  for (const name of names) {
    if (name.startsWith('.')) continue
    const abs = path.join(dir, name)
    const rel = `${relDir}/${name}`
    const st = await stat(abs).catch(() => undefined)
    if (st === undefined) continue // dangling symlink (or a link cycle the OS refuses: ELOOP)
    if (st.isDirectory()) await listImages(abs, rel, out, inside)
    else if (st.isFile() && isImageFile(name)) out.push({rel, abs, size: st.size})
  }
}

async function classFolders(splitDir: string): Promise<string[]> {
  const names = (await readdir(splitDir)).filter((n) => !n.startsWith('.')).sort(byCodePoint)
  const out: string[] = []
  for (const n of names) if (await isDir(path.join(splitDir, n))) out.push(n)
  return out
}

/** Index an ImageFolder dataset; throws DataError (one line, naming the path) on a bad layout. */
export async function indexImageFolder(root: string): Promise<ImageFolderIndex> {
  const abs = path.resolve(root)
  if (!(await isDir(abs))) throw new DataError(`dataset folder not found: ${abs}`)
  for (const split of ['train', 'val']) {
    if (!(await isDir(path.join(abs, split)))) {
      throw new DataError(
        `not an ImageFolder: ${abs} has no ${split}/ folder (expected train/<class>/*.jpg and val/<class>/*.jpg)`,
      )
    }
  }
  const classes = await classFolders(path.join(abs, 'train'))
  if (classes.length === 0) throw new DataError(`no class folders in ${path.join(abs, 'train')}`)
  const labelOf = new Map(classes.map((c, i) => [c, i]))
  const rootReal = await realpath(abs)
  const hash = createHash('sha256')
  const splits: Record<'train' | 'val', Sample[]> = {train: [], val: []}
  for (const split of ['train', 'val'] as const) {
    const splitDir = path.join(abs, split)
    const names = split === 'train' ? classes : await classFolders(splitDir)
    for (const cls of names) {
      const label = labelOf.get(cls)
      if (label === undefined) {
        throw new DataError(`val class "${cls}" (${path.join(splitDir, cls)}) has no folder in ${path.join(abs, 'train')}`)
      }
      const files: FileEntry[] = []
      await listImages(path.join(splitDir, cls), `${split}/${cls}`, files, new Set([rootReal, await realpath(splitDir)]))
      if (files.length === 0) {
        throw new DataError(`empty class folder: ${path.join(splitDir, cls)} has no JPEG/PNG/WebP images`)
      }
      for (const f of files) {
        hash.update(`${f.rel}\t${f.size}\n`)
        splits[split].push({path: f.abs, label})
      }
    }
  }
  if (splits.val.length === 0) throw new DataError(`no class folders in ${path.join(abs, 'val')}`)
  return {root: abs, classes, train: splits.train, val: splits.val, id: hash.digest('hex').slice(0, 16)}
}

/**
 * Training and evaluation need at least two classes; checked before a run starts,
 * not when the first evaluation fails hours later. (Statistics alone do not.)
 */
export function requireTwoClasses(index: Pick<ImageFolderIndex, 'root' | 'classes'>): void {
  if (index.classes.length < 2) {
    throw new DataError(
      `${path.join(index.root, 'train')} has ${index.classes.length} class folder (${index.classes.join(', ')}): training and evaluation need at least 2 classes`,
    )
  }
}
