// Public API of the data layer (see ARCHITECTURE.md, data/).
export {DataError, CorruptImageError} from './errors.js'
export {defaultCacheDir, datasetCacheDir} from './cache-dir.js'
export {indexImageFolder, isImageFile, type ImageFolderIndex, type Sample} from './image-folder.js'
export {datasetStats, type DatasetStats, type StatsOptions} from './stats.js'
export {TrainBatchStream, type Batch, type CacheInfo, type TrainStreamOptions} from './train-batch-stream.js'
export type {SkippedImage} from './batch-job.js'
export {loadEvalImage, type EvalImage} from './eval-image.js'
export {ensureDataset, DEFAULT_DATASET, KNOWN_DATASETS, type EnsureDatasetOptions} from './ensure-dataset.js'
