// Opt-in speed experiments for `bench --experiment NAME`, `bench --proposals NAME`
// and `bench --ab NAME`: each switches the process to another variant of the
// training step (and can be switched back), so variants are measured side by side
// in one run.
import {installFastStep, uninstallFastStep} from '../backend/fast-step.js'

export const EXPERIMENTS = ['eager-step', 'fast-step', 'stock-step'] as const
export type ExperimentName = (typeof EXPERIMENTS)[number]

/** One line per experiment, for reports. */
export const EXPERIMENT_DESCRIPTIONS: Record<ExperimentName, string> = {
  'eager-step': "the eager tfjs step (train-step.ts: one native call per op, tfjs autodiff), the trainer's engine before the graph engine",
  'fast-step': "the cheaper Step kernel (sign(relu(x))) for the eager step's ReLU gradients; on by default",
  'stock-step': "tfjs-node's own Step kernel in the eager step, for comparison",
}

/** Make exactly `names` active (others removed); returns those in effect. */
export function setExperiments(names: readonly string[]): string[] {
  const done: string[] = []
  // Read by graphSessionsAvailable() when a step engine is created.
  if (names.includes('eager-step')) {
    process.env.VGG_REPRO_EAGER_STEP = '1'
    done.push('eager-step')
  } else {
    delete process.env.VGG_REPRO_EAGER_STEP
  }
  // The fast Step kernel is part of the committed code (initBackend installs it);
  // 'stock-step' measures tfjs-node's own kernel for comparison.
  if (names.includes('stock-step')) {
    uninstallFastStep()
    done.push('stock-step')
  } else if (installFastStep() && names.includes('fast-step')) {
    done.push('fast-step')
  }
  return done
}
