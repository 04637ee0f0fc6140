// Public API of the data layer (see ARCHITECTURE.md, data/).
export {DataError, CorruptImageError} from './errors.js'
export {defaultCacheDir, datasetCacheDir} from './cacheDir.js'
export {indexImageFolder, isImageFile, type ImageFolderIndex, type Sample} from './imageFolder.js'
export {datasetStats, type DatasetStats, type StatsOptions} from './stats.js'
export {TrainBatchStream, type Batch, type CacheInfo, type TrainStreamOptions} from './trainBatchStream.js'
export type {SkippedImage} from './batchJob.js'
export {loadEvalImage, type EvalImage} from './evalImage.js'
export {ensureDataset, DEFAULT_DATASET, KNOWN_DATASETS, type EnsureDatasetOptions} from './ensureDataset.js'
