// Where downloaded datasets and per-dataset statistics are cached.
import os from 'node:os'
import path from 'node:path'
import {envValue} from '../util/env.js'

/** $VGG_REPRO_CACHE, else $XDG_CACHE_HOME/vgg-repro, else ~/.cache/vgg-repro. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const own = envValue('VGG_REPRO_CACHE', env)
  if (own !== undefined) return path.resolve(own)
  if (env.XDG_CACHE_HOME) return path.resolve(env.XDG_CACHE_HOME, 'vgg-repro')
  return path.join(os.homedir(), '.cache', 'vgg-repro')
}

/** Cache folder for one dataset identity (ImageFolderIndex.id). */
export function datasetCacheDir(id: string, cacheDir: string = defaultCacheDir()): string {
  return path.join(cacheDir, 'datasets', id)
}
