import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/client.ts';
import { importTfjsModel } from '../import/import-model.ts';
import { readManifest } from '../import/tfjs-weights.ts';
import { intFlag, parseFlags, UsageError } from './args.ts';

export const MODEL_USAGE = `  cellscope model add DIR --corpus ID [--vocab FILE] [--name N] [--json]
                  upload a TensorFlow.js LayersModel (DIR/model.json and its weight files) as a run;
                  --vocab: a JSON {"character": index} map (without it, built from the corpus, with a warning)
`;

/** `cellscope model add DIR`: an uploaded model becomes a run (lib/import/import-model.ts). */
export async function modelCommand(db: Db, argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'add') throw new UsageError(`model takes "add", got ${JSON.stringify(sub ?? '')}`);
  const { values, positionals } = parseFlags(rest, { corpus: { type: 'string' }, vocab: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } });
  const dir = positionals[0];
  if (!dir || positionals.length > 1) throw new UsageError('model add takes exactly one DIR (holding model.json and its weight files)');
  const corpusId = intFlag(values, 'corpus', { min: 1 });
  if (corpusId === undefined) throw new UsageError('--corpus ID is required: the corpus the model reads (add one with cellscope corpus add FILE)');
  const modelPath = existsSync(dir) && statSync(dir).isFile() ? dir : join(dir, 'model.json');
  if (!existsSync(modelPath)) throw new UsageError(`${modelPath} not found: DIR must hold the model.json that model.save writes`);
  const modelJson = readFileSync(modelPath, 'utf8');
  const base = modelPath.slice(0, modelPath.length - 'model.json'.length);
  // Only the files model.json names are read (after its sizes are checked).
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(modelJson) as Record<string, unknown>;
  } catch {
    // importTfjsModel says what is wrong with it
  }
  const files = new Map<string, Uint8Array>();
  if (Array.isArray(parsed.weightsManifest)) {
    for (const g of readManifest(parsed).groups) {
      for (const p of g.paths) {
        const file = join(base, p);
        if (existsSync(file)) files.set(p, readFileSync(file));
      }
    }
  }
  let vocab: string | undefined;
  if (typeof values.vocab === 'string') {
    if (!existsSync(values.vocab)) throw new UsageError(`cannot read ${values.vocab}`);
    vocab = readFileSync(values.vocab, 'utf8');
  }
  const r = await importTfjsModel(db, {
    modelJson, files, corpusId, ...(vocab !== undefined ? { vocab } : {}), ...(typeof values.name === 'string' ? { name: values.name } : {}),
  });
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const lines = [`run ${r.runId}: ${r.summary} · ${r.valBpc.toFixed(3)} bits/char on the corpus's validation text (${r.trainBpc.toFixed(3)} on its training text)`];
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  lines.push(`record it: cellscope record --run ${r.runId}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
