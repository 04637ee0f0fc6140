// Public surface of the experiments module.
export * from './types.js'
export {ExperimentFileError} from './errors.js'
export {loadProfile, scaleToProfile, listProfiles, profilePath, PAPER_CROP} from './profile.js'
export {loadTable, loadTables, tableFile, parseTableName, stageOf, TRAIN_STAGES, type TrainStage} from './tables.js'
export {loadClaims, claimsFile, claimsFor} from './claims.js'
export {scaleLabel, netLabel, rowLabel} from './labels.js'
export {experimentsDir, displayPath} from './paths.js'
