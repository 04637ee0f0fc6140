// The --backend flag every tensor-using command shares. Validation happens in
// initBackend (so VGG_REPRO_BACKEND gets the same one-line error).
import {Flags} from '@oclif/core'
import {BACKEND_NAMES} from '../backend/backend.js'

export const backendFlag = Flags.string({
  description: `force a backend: ${BACKEND_NAMES.join(', ')} or auto (default: VGG_REPRO_BACKEND, else auto: native TensorFlow, then wasm, then cpu)`,
  env: 'VGG_REPRO_BACKEND',
})
