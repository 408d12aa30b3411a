import type { TrainConfig } from './config.ts';

/**
 * The memory a training step's activations and gradients take, roughly: per timestep of the
 * batch, each layer keeps its gates and states for backpropagation through time (and as much
 * again for their gradients), and the read-out keeps logits over the vocabulary. Parameters and
 * Adam's moments come on top. An estimate to refuse configurations that cannot fit, not a budget.
 */
export function trainingMemoryBytes(config: TrainConfig, vocabSize: number): number {
  const perUnit = { lstm: 6, gru: 5, rnn: 2, irnn: 2, nprnn: 2, esn: 2, rhn: 3 * config.depth } as Record<string, number>;
  const steps = config.batch * config.seq;
  const recurrent = steps * config.layers * config.hidden * (perUnit[config.arch] ?? 6) * 4 * 2;
  const readout = steps * vocabSize * 4 * 3;
  const params = (config.layers * 4 * config.hidden * (2 * config.hidden + 1) + vocabSize * (2 * config.hidden + 1)) * 4 * 4;
  return recurrent + readout + params;
}
