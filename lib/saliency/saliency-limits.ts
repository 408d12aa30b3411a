/** Saliency window limits, shared by the server and the pages (no TensorFlow.js import). */
export const DEFAULT_SALIENCY_WINDOW = 64;
export const MAX_SALIENCY_WINDOW = 256;
/** The windows the saliency page offers. */
export const SALIENCY_WINDOWS = [16, 32, 64, 128, 256];
