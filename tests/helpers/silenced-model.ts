import { tf } from '../../lib/tf/backend.ts';
import { createCharModel, type CharModel } from '../../models/char-model.ts';

/** A copy of the model with cell j of layer l silenced: its rows of U and of the layer above's kernel (or the read-out) zeroed. */
export function silenced(model: CharModel, l: number, j: number): CharModel {
  const copy = createCharModel(model.shape, 1);
  const rowZeroed = (v: tf.Variable, zero: boolean): void => {
    const data = Float32Array.from(v.dataSync() as Float32Array);
    const cols = v.shape[1] ?? 1;
    if (zero) data.fill(0, j * cols, (j + 1) * cols);
    return void v.assign(tf.tensor(data, v.shape));
  };
  copy.layers.forEach((layer, k) => {
    const from = model.layers[k];
    if (!from) return;
    layer.kernel.assign(from.kernel);
    layer.bias.assign(from.bias);
    layer.recurrentKernel.assign(from.recurrentKernel);
    rowZeroed(layer.recurrentKernel, k === l);
    rowZeroed(layer.kernel, k === l + 1);
  });
  if (!copy.outKernel || !copy.outBias || !model.outKernel || !model.outBias) throw new Error('no read-out');
  copy.outKernel.assign(model.outKernel);
  copy.outBias.assign(model.outBias);
  rowZeroed(copy.outKernel, l === model.layers.length - 1);
  return copy;
}
