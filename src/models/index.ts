// Public API of the models module.
export type {ConfigName, InitSpec, NetSpec, WeightMap, WeightValue} from './types.js'
export {CONFIGS, CONFIG_NAMES, PAPER_SCALE, isConfigName} from './configs.js'
export {NetSpecError, planNet, validateSpec} from './plan.js'
export {countParams, forwardFlops} from './cost.js'
export {LRN_PARAMS} from './lrn.js'
export {VggNet, createNet, type ForwardOptions} from './vgg-net.js'
export {copyFromA, layersCopiedFromA} from './copy-from-a.js'
export {summarizeModels, type ModelSummary} from './summary.js'
