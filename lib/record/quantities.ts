/**
 * What a recording holds, and how it is laid out in StateChunk rows.
 *
 * Per layer (layer >= 0), quantity in STATE_QUANTITIES, codec f16: chunk data is
 * [length timesteps][hidden cells] float16, timestep-major, so a window of timesteps x all cells
 * is one contiguous read per chunk.
 *   c  cell state            h  hidden state (output)
 *   i  input gate            f  forget gate
 *   o  output gate           g  candidate cell update c~ (tanh)
 * Predictions (layer PREDICTION_LAYER = -1):
 *   top.index [length][TOP_K] uint16 token ids of the most likely next characters, best first
 *   top.prob  [length][TOP_K] float16 their probabilities
 *   next.prob [length] float16 probability given to the true next character (NaN at the end)
 * Position p holds the state after reading character p, and the prediction for character p + 1.
 */
export const STATE_QUANTITIES = ['c', 'h', 'i', 'f', 'o', 'g'] as const;
export type StateQuantity = (typeof STATE_QUANTITIES)[number];

export const QUANTITY_LABELS: Record<StateQuantity, string> = {
  c: 'cell state c',
  h: 'hidden state h',
  i: 'input gate i',
  f: 'forget gate f',
  o: 'output gate o',
  g: 'cell update g',
};

export const PREDICTION_LAYER = -1;
export const TOP_K = 5;
export const PREDICTION_QUANTITIES = ['top.index', 'top.prob', 'next.prob'] as const;
export type PredictionQuantity = (typeof PREDICTION_QUANTITIES)[number];

export const DEFAULT_CHUNK_SIZE = 256;
export const STATE_CODEC = 'f16';
