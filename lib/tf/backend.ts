import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

let ready: Promise<string> | undefined;

/**
 * Selects TensorFlow.js's wasm backend (SIMD, ~4-6x the pure-JS cpu backend here; tfjs-node
 * does not install offline). Falls back to `cpu` with a warning if wasm cannot start, so a
 * machine without it is slower but not broken. CELLSCOPE_TF_BACKEND=cpu forces the fallback.
 */
export function ensureBackend(): Promise<string> {
  ready ??= (async () => {
    const wanted = process.env.CELLSCOPE_TF_BACKEND === 'cpu' ? 'cpu' : 'wasm';
    try {
      if (!(await tf.setBackend(wanted))) throw new Error(`tf.setBackend('${wanted}') returned false`);
    } catch (err) {
      console.warn(`[cellscope] tfjs ${wanted} backend unavailable (${String(err)}); using cpu`);
      await tf.setBackend('cpu');
    }
    await tf.ready();
    return tf.getBackend();
  })();
  return ready;
}

export { tf };
