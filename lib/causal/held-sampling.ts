import type { Vocab } from '../corpus/vocab.ts';
import { BadRequestError, ConflictError } from '../errors.ts';
import { requireReadout, type CharModel } from '../../models/char-model.ts';
import { createEditedRunner } from '../../models/fused/edited-runner.ts';
import { fusedUnsupportedReason } from '../../models/fused/fused-stack.ts';
import { writeSample, type SampleOptions } from '../train/sample.ts';
import { checkLayerQuantity, modelLayers, parseCells, parseSet } from './intervention-spec.ts';

/**
 * Sampling with an intervention held at every step (issue 13: steer the quote cell on, and see
 * whether the model keeps writing inside quotes): the model reads the prime and writes with the
 * chosen cells set (zero, value:V or scale:F) throughout, on the fused kernels.
 */
export interface HeldIntervention {
  layer: number;
  quantity: string;
  cells: string | readonly number[];
  /** zero | value:V | scale:F (mean and position need a recording). */
  set: string;
}

export function sampleHeld(model: CharModel, vocab: Vocab, opts: SampleOptions, hold: HeldIntervention): string {
  const why = fusedUnsupportedReason(model.shape, 'feedforward', 0);
  if (why !== null) throw new ConflictError(`an intervention runs on the fused kernels, which do not cover this model: ${why}`);
  const { units } = checkLayerQuantity(modelLayers(model), hold.layer, hold.quantity);
  const cells = parseCells(hold.cells, units, hold.layer);
  const set = parseSet(hold.set);
  if (set.kind === 'mean' || set.kind === 'position') throw new BadRequestError('set mean and position:P read a recording; while sampling, hold zero, value:V or scale:F', 'set');
  const runner = createEditedRunner(model, 1, {
    layer: hold.layer,
    quantity: hold.quantity,
    edits: {
      streams: new Int32Array(cells.length),
      cells: Int32Array.from(cells),
      scale: new Float32Array(cells.length).fill(set.kind === 'scale' ? set.factor : 0),
      shift: new Float32Array(cells.length).fill(set.kind === 'value' ? set.value : 0),
    },
  });
  const readout = requireReadout(model);
  const W = readout.kernel.dataSync() as Float32Array;
  const b = readout.bias.dataSync() as Float32Array;
  const V = b.length;
  const on = Uint8Array.of(1);
  const feed = (id: number): Float64Array => {
    const { top } = runner.run(Int32Array.of(id), 1, on);
    const H = top.length;
    const logits = Float64Array.from(b, (bias, v) => {
      let sum = bias;
      for (let h = 0; h < H; h++) sum += (top[h] as number) * (W[h * V + v] as number);
      return sum / opts.temperature;
    });
    const max = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - max));
    const total = e.reduce((a, v) => a + v, 0);
    return e.map((v) => v / total);
  };
  try {
    return writeSample(vocab, opts, feed);
  } finally {
    runner.dispose();
  }
}
