import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../../lib/tf/backend.ts';

/**
 * Saves a tfjs LayersModel as the files `model.save('file://DIR')` writes (model.json and one
 * weight shard), through tf.io's own serialisation: modelTopology and weightSpecs exactly as
 * tfjs produces them. Returns model.json's object and the shard's bytes; writes them to `dir`
 * when given (tfjs-node, which owns file://, does not install here).
 */
export async function saveTfjsModel(model: tf.LayersModel, dir?: string): Promise<{ modelJson: Record<string, unknown>; files: Map<string, Uint8Array> }> {
  let out: { modelJson: Record<string, unknown>; files: Map<string, Uint8Array> } | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const bin = new Uint8Array(a.weightData as ArrayBuffer);
      const modelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        modelTopology: a.modelTopology,
        weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: a.weightSpecs }],
      };
      out = { modelJson, files: new Map([['group1-shard1of1.bin', bin]]) };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!out) throw new Error('the model was not saved');
  if (dir) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'model.json'), JSON.stringify(out.modelJson));
    for (const [name, bytes] of out.files) writeFileSync(join(dir, name), bytes);
  }
  return out;
}
