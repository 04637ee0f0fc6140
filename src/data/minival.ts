// The minival [issue 10]: a class-balanced set of training images held out of
// training, for the per-epoch validation and the plateau lr schedule, so that the
// val/ images only ever score the tables. Which images: per class, those whose
// path relative to the dataset root hashes lowest (sha256), so the choice depends on
// neither listing order, seed nor where the dataset lives.
import {createHash} from 'node:crypto'
import path from 'node:path'
import {DataError} from './errors.js'
import type {ImageFolderIndex, Sample} from './image-folder.js'

export interface MinivalSplit {
  /** the training index without the minival; its `id` names this split (caches key on it) */
  train: ImageFolderIndex
  minival: Sample[]
}

function rank(root: string, s: Sample): string {
  return createHash('sha256').update(path.relative(root, s.path).split(path.sep).join('/')).digest('hex')
}

/** Hold out `images` training images, as evenly over the classes as they divide. */
export function carveMinival(index: ImageFolderIndex, images: number): MinivalSplit {
  if (!Number.isSafeInteger(images) || images < 0) throw new RangeError(`minival images must be an integer >= 0, got ${images}`)
  if (images === 0) return {train: index, minival: []}
  const numClasses = index.classes.length
  const byClass: Sample[][] = index.classes.map(() => [])
  for (const s of index.train) byClass[s.label].push(s)
  const held = new Set<Sample>()
  byClass.forEach((list, label) => {
    const take = Math.floor(images / numClasses) + (label < images % numClasses ? 1 : 0)
    if (take === 0) return
    if (list.length <= take) {
      throw new DataError(
        `class "${index.classes[label]}" has ${list.length} training images: too few to hold out ${take} for the minival ` +
          `(${images} images over ${numClasses} classes) and still train on it; use a smaller minivalImages`,
      )
    }
    const ranked = list.map((s) => ({s, r: rank(index.root, s)})).sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0))
    for (const {s} of ranked.slice(0, take)) held.add(s)
  })
  // Listing order is kept in both parts (the batch stream permutes per epoch anyway).
  const train = index.train.filter((s) => !held.has(s))
  const minival = index.train.filter((s) => held.has(s))
  const id = createHash('sha256').update(`${index.id}\tminival ${images}`).digest('hex').slice(0, 16)
  return {train: {...index, train, id}, minival}
}
