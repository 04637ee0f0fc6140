// The --backend flag every tensor-using command shares. Unset, initBackend reads
// VGG_REPRO_BACKEND (src/util/env.ts); it validates both alike (one-line errors).
import {Flags} from '@oclif/core'
import {BACKEND_NAMES} from '../backend/backend.js'

export const backendFlag = Flags.string({
  description: `force a backend: ${BACKEND_NAMES.join(', ')} or auto (default: VGG_REPRO_BACKEND, else auto: native TensorFlow, then wasm, then cpu)`,
})
