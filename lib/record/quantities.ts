/**
 * What a recording holds, and how it is laid out in StateChunk rows.
 *
 * Per layer (layer >= 0), for each quantity the cell records (models/architectures.ts:
 * LSTM c h i f o g; GRU h z r n; RNNs h a), codec f16: chunk data is [length timesteps][hidden
 * cells] float16, timestep-major, so a window of timesteps x all cells is one contiguous read per
 * chunk. The recording's `quantities` column lists the names recorded.
 * Predictions (layer PREDICTION_LAYER = -1):
 *   top.index [length][TOP_K] uint16 token ids of the most likely next characters, best first
 *   top.prob  [length][TOP_K] float16 their probabilities
 *   next.prob [length] float16 probability given to the true next character (NaN at the end)
 * Position p holds the state after reading character p, and the prediction for character p + 1.
 */
export const PREDICTION_LAYER = -1;
export const TOP_K = 5;
export const PREDICTION_QUANTITIES = ['top.index', 'top.prob', 'next.prob'] as const;
export type PredictionQuantity = (typeof PREDICTION_QUANTITIES)[number];

export const DEFAULT_CHUNK_SIZE = 256;
export const STATE_CODEC = 'f16';

/** A bidirectional model over a continuous text reads it in windows of this many positions, each on its own (whole-sequence-recorder.ts). */
export const BIDIRECTIONAL_WINDOW = 256;
