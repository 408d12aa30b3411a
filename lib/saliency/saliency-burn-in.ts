/** History run (without gradients) before a saliency window, as the recorder does before a segment. */
export const SALIENCY_BURN_IN = 128;
