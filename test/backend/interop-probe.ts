// Run as a child by backend.test.ts: starts the backend, runs one op, and prints the
// inter-op setting and how many eager inter-op threads (tf_Compute) TensorFlow started.
import {readdirSync, readFileSync} from 'node:fs'
import * as tf from '@tensorflow/tfjs-core'
import {initBackend, interOpSetting} from '../../src/backend/backend.js'

const info = await initBackend()
tf.tidy(() => tf.conv2d(tf.ones([1, 8, 8, 2]) as tf.Tensor4D, tf.ones([3, 3, 2, 2]) as tf.Tensor4D, 1, 'same').dataSync())
const pools = readdirSync('/proc/self/task').filter((t) => readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim() === 'tf_Compute').length
console.log(JSON.stringify({backend: info.backend, env: process.env.TF_NUM_INTEROP_THREADS ?? null, setting: interOpSetting(), pools}))
