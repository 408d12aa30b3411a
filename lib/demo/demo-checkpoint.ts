import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../util/project-root.ts';
import { trainConfigSchema } from '../train/config.ts';

/** The committed demo model: models/demo/moby-dick-lstm.json (+ .weights.bin), made by `npm run train-demo`. */
export const DEMO_BASENAME = 'moby-dick-lstm';

export const demoMetaSchema = z.object({
  name: z.string(),
  config: trainConfigSchema,
  vocab: z.array(z.string()),
  step: z.number().int(),
  trainLoss: z.number(),
  valBpc: z.number(),
  metrics: z.array(z.record(z.string(), z.number())),
  trainedWith: z.string(),
});
export type DemoMeta = z.infer<typeof demoMetaSchema>;

export function demoPaths(): { meta: string; weights: string } {
  const dir = join(projectRoot(), 'models', 'demo');
  return { meta: join(dir, `${DEMO_BASENAME}.json`), weights: join(dir, `${DEMO_BASENAME}.weights.bin`) };
}

export function readDemoCheckpoint(): { meta: DemoMeta; weights: Uint8Array<ArrayBuffer> } | undefined {
  const p = demoPaths();
  if (!existsSync(p.meta) || !existsSync(p.weights)) return undefined;
  const meta = demoMetaSchema.parse(JSON.parse(readFileSync(p.meta, 'utf8')));
  const buf = readFileSync(p.weights);
  const weights = new Uint8Array(buf.byteLength);
  weights.set(buf);
  return { meta, weights };
}
