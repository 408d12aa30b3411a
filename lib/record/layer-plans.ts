import type { CharModel } from '../../models/char-model.ts';

/** What the recorder stores of each layer of a stack (layers may differ in cells and quantities). */
export interface LayerPlan {
  units: number;
  /** The layer's cell's quantities, in its order. */
  quantities: readonly string[];
  /** Indices into `quantities` of those stored. */
  kept: number[];
  /** The layer's first staging slot. */
  slot: number;
}

/**
 * What each layer stores: of its cell's quantities, those `wanted` names (all when absent). A
 * name no layer records is refused; a layer that records none of them stores nothing.
 */
export function layerPlans(model: CharModel, wanted: readonly string[] | undefined): LayerPlan[] {
  if (wanted) {
    if (wanted.length === 0) throw new Error('no quantity to record');
    const all = new Set(model.layers.flatMap((l) => l.cell.quantities));
    const unknown = wanted.filter((q) => !all.has(q));
    if (unknown.length > 0) throw new Error(`the model's cells record ${[...all].join(', ')}, not ${unknown.join(', ')}`);
  }
  let slot = 0;
  return model.layers.map((layer) => {
    const quantities = layer.cell.quantities;
    const kept = quantities.flatMap((q, i) => (!wanted || wanted.includes(q) ? [i] : []));
    const plan = { units: layer.spec.units, quantities, kept, slot };
    slot += kept.length;
    return plan;
  });
}
