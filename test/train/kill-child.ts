// Child process of kill-resume.test.ts: trains the smoke job given on argv until
// the parent kills it with SIGKILL.
import {initBackend} from '../../src/backend/backend.js'
import {trainNet} from '../../src/train/train-net.js'
import {smokeJob} from './fixtures.js'

const [dataRoot, outDir, maxEpochs] = process.argv.slice(2)
await initBackend()
await trainNet(smokeJob(dataRoot, outDir, {maxEpochs: Number(maxEpochs), batchSize: 4}), {quiet: true})
