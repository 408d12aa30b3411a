import type { Architecture } from '../architectures.ts';

/**
 * Interventions on one step of one recurrent layer (issue 13: ablate, clamp, scale, patch): the
 * chosen (stream, cell) pairs of a quantity get value' = scale · value + shift, and what the
 * step computes from that quantity afterwards is computed again from the edited value, so the
 * layer's output and carried state are those of a model in which the quantity had that value.
 * Only the edited cells are recomputed: every other value stays the kernel's own, bit for bit
 * (an intervention on nothing changes nothing).
 *
 * What can be edited, and what follows from it:
 * - every cell: h (the output and carried state);
 * - LSTM: c (h = o · tanh c), and the gates i, f, g (c = f · c_prev + i · g, h = o · tanh c) and o;
 * - GRU: z and the candidate n (h = z · h_prev + (1 − z) · n). Its reset gate r acts inside the
 *   candidate's recurrent product, which the step does not keep, so it is not offered.
 */
export const EDITABLE: Record<Architecture, readonly string[]> = {
  lstm: ['c', 'h', 'i', 'f', 'g', 'o'],
  gru: ['h', 'z', 'n'],
  rnn: ['h'],
  esn: ['h'],
  irnn: ['h'],
  nprnn: ['h'],
  rhn: ['h'],
};

/** The edited (stream, cell) pairs of a layer, struct of arrays. */
export interface CellEdits {
  streams: Int32Array;
  cells: Int32Array;
  scale: Float32Array;
  shift: Float32Array;
}

/** No edits: the layer as it is (a stream run with an intervention nowhere). */
export const NO_EDITS: CellEdits = { streams: new Int32Array(0), cells: new Int32Array(0), scale: new Float32Array(0), shift: new Float32Array(0) };

/** One step of a layer: its state before, after (edited in place), and its quantities ([B, H] each). */
export interface StepValues {
  prev: Record<string, Float32Array>;
  next: Record<string, Float32Array>;
  quantity(name: string): Float32Array;
}

/**
 * Applies `edits` (those whose stream is flagged in `on`) to a layer's step: `next.h` (and `c`)
 * hold the step's result on entry and the edited result on exit.
 */
export function editStep(arch: Architecture, quantity: string, H: number, edits: CellEdits, on: Uint8Array, step: StepValues): void {
  if (!EDITABLE[arch].includes(quantity)) throw new Error(`${quantity} of a ${arch} layer cannot be edited (${EDITABLE[arch].join(', ')} can)`);
  const { next, prev } = step;
  const h = next.h as Float32Array;
  const gates = arch === 'lstm' && quantity !== 'c' && quantity !== 'h' ? { i: step.quantity('i'), f: step.quantity('f'), g: step.quantity('g'), o: step.quantity('o') } : null;
  const o = arch === 'lstm' && quantity === 'c' ? step.quantity('o') : null;
  const gru = arch === 'gru' && quantity !== 'h' ? { z: step.quantity('z'), n: step.quantity('n') } : null;
  for (let e = 0; e < edits.streams.length; e++) {
    const b = edits.streams[e] as number;
    if (!on[b]) continue;
    const k = b * H + (edits.cells[e] as number);
    const s = edits.scale[e] as number;
    const t = edits.shift[e] as number;
    if (quantity === 'h') h[k] = s * (h[k] as number) + t;
    else if (o) {
      const c = s * ((next.c as Float32Array)[k] as number) + t;
      (next.c as Float32Array)[k] = c;
      h[k] = (o[k] as number) * Math.tanh(c);
    } else if (gates) {
      const v = { i: gates.i[k] as number, f: gates.f[k] as number, g: gates.g[k] as number, o: gates.o[k] as number };
      v[quantity as 'i' | 'f' | 'g' | 'o'] = s * v[quantity as 'i' | 'f' | 'g' | 'o'] + t;
      const c = v.f * ((prev.c as Float32Array)[k] as number) + v.i * v.g;
      (next.c as Float32Array)[k] = c;
      h[k] = v.o * Math.tanh(c);
    } else if (gru) {
      const v = { z: gru.z[k] as number, n: gru.n[k] as number };
      v[quantity as 'z' | 'n'] = s * v[quantity as 'z' | 'n'] + t;
      h[k] = v.z * ((prev.h as Float32Array)[k] as number) + (1 - v.z) * v.n;
    }
  }
}
