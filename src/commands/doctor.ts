import {Command} from '@oclif/core'
import {cudaLine, runDoctor, type DoctorReport} from '../backend/doctor.js'
import {backendFlag} from '../cli/backend-flag.js'
import {failIfUserError} from '../cli/errors.js'

export default class Doctor extends Command {
  static description = 'Show the TensorFlow backend in use, its devices and a measured convolution speed'
  static enableJsonFlag = true
  static flags = {backend: backendFlag}

  async run(): Promise<DoctorReport> {
    const {flags} = await this.parse(Doctor)
    let report: DoctorReport
    try {
      report = await runDoctor(flags.backend)
    } catch (error) {
      return failIfUserError(this, error)
    }
    const b = report.convBenchmark
    this.log(`backend     ${report.backend} (${report.source})`)
    this.log(`TensorFlow  ${report.tfVersion}`)
    this.log(`devices     ${report.devices.join(', ')}`)
    for (const g of report.gpus) this.log(`gpu ${g.index}       ${g.name}, compute capability ${g.computeCapability ?? 'unknown'}, driver ${g.driver ?? 'unknown'}`)
    this.log(`cuda        ${cudaLine(report)}`)
    this.log(`threads     ${report.threads.cores} cores; intra-op: ${report.threads.intraOp}; inter-op: ${report.threads.interOp}`)
    this.log(
      `train step  ${report.trainStep === 'graph' ? 'graph: one TensorFlow session run per step' : 'eager: one backend call per op (VGG_REPRO_EAGER_STEP=1 or a non-native backend)'}`,
    )
    this.log(
      `conv 3x3    ${report.convGflops} GFLOP/s ${b.backward ? 'forward+backward' : 'forward only'} (batch ${b.shape.batch}, ${b.shape.size}x${b.shape.size}x${b.shape.channels}, median of ${b.steps}: ${b.msPerStep.toFixed(1)} ms/step)`,
    )
    this.log(`precision   auto -> ${report.precision.precision}: ${report.precision.reason} (--precision or a profile's precision: overrides)`)
    for (const p of report.problems) this.log(`problem     ${p}`)
    if (report.problems.length === 0) this.log('status      ok')
    return report
  }
}

