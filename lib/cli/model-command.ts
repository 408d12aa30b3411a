import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Db } from '../db/client.ts';
import { importModelFile, importTfjsModel, type ImportModelResult } from '../import/import-model.ts';
import { MODEL_FILE } from '../import/model-files.ts';
import { readManifest } from '../import/tfjs-weights.ts';
import { intFlag, parseFlags, UsageError } from './args.ts';

export const MODEL_USAGE = `  cellscope model add PATH --corpus ID [--vocab FILE] [--spec FILE] [--classes FILE] [--name N] [--json]
                  upload a model trained elsewhere as a run: PATH is a TensorFlow.js LayersModel
                  (a folder with model.json and its weight files), a PyTorch state_dict (a .pt/.pth
                  file as torch.save writes it, or .safetensors), an .onnx file, a Keras .keras or .h5 (model.save),
                  or a folder holding one;
                  --vocab: a JSON {"character": index} map (without it, built from the corpus, with a warning);
                  --spec: PyTorch only, JSON {"nonlinearity": "tanh"|"relu", "head": MODULE, "embedding": MODULE};
                  --classes: a classifier (e.g. a sentiment LSTM), a JSON list of its class names in the
                  read-out's order: the class probabilities are recorded after every step
`;

/** The one-file model PATH names, or the one its folder holds (null: a TensorFlow.js model). */
function modelFileAt(path: string): string | null {
  if (statSync(path).isFile()) return MODEL_FILE.test(path) ? path : null;
  // A folder with model.json is a TensorFlow.js model, whatever else it holds.
  if (existsSync(join(path, 'model.json'))) return null;
  const found = readdirSync(path).filter((n) => MODEL_FILE.test(n));
  if (found.length > 1) throw new UsageError(`${path} holds ${found.join(', ')}: name the one to add`);
  return found[0] ? join(path, found[0]) : null;
}

/** `cellscope model add PATH`: a model trained elsewhere becomes a run (lib/import/import-model.ts). */
export async function modelCommand(db: Db, argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'add') throw new UsageError(`model takes "add", got ${JSON.stringify(sub ?? '')}`);
  const { values, positionals } = parseFlags(rest, { corpus: { type: 'string' }, vocab: { type: 'string' }, spec: { type: 'string' }, classes: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } });
  const path = positionals[0];
  if (!path || positionals.length > 1) throw new UsageError('model add takes exactly one PATH (a folder holding model.json, or a .pt/.pth/.safetensors/.onnx/.keras/.h5 file)');
  const corpusId = intFlag(values, 'corpus', { min: 1 });
  if (corpusId === undefined) throw new UsageError('--corpus ID is required: the corpus the model reads (add one with cellscope corpus add FILE)');
  if (!existsSync(path)) throw new UsageError(`${path} not found: PATH must be a folder holding model.json (a TensorFlow.js model) or a .pt/.pth/.safetensors/.onnx/.keras/.h5 file`);
  const readText = (flag: 'vocab' | 'spec' | 'classes'): string | undefined => {
    const file = values[flag];
    if (typeof file !== 'string') return undefined;
    if (!existsSync(file)) throw new UsageError(`cannot read --${flag} ${file}`);
    return readFileSync(file, 'utf8');
  };
  const vocab = readText('vocab');
  const spec = readText('spec');
  const classes = readText('classes');
  const target = { corpusId, ...(vocab !== undefined ? { vocab } : {}), ...(classes !== undefined ? { classes } : {}), ...(typeof values.name === 'string' ? { name: values.name } : {}) };
  const file = modelFileAt(path);
  let r: ImportModelResult;
  if (file) r = await importModelFile(db, { ...target, fileName: basename(file), bytes: readFileSync(file), ...(spec !== undefined ? { spec } : {}) });
  else {
    if (spec !== undefined) throw new UsageError('--spec is for PyTorch state_dicts; a TensorFlow.js model.json says it all');
    r = await importTfjsModel(db, { ...target, ...readTfjsFolder(path) });
  }
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const check = r.classifier
    ? `classes ${r.classifier.classes.join(', ')}${r.classifier.accuracy !== null ? ` · accuracy ${(100 * r.classifier.accuracy).toFixed(1)}% on ${r.classifier.sequences} labelled sequences` : ''}`
    : r.valBpc === null || r.trainBpc === null
      ? 'states only: it makes no predictions to score'
      : `${r.valBpc.toFixed(3)} bits/char on the corpus's validation text (${r.trainBpc.toFixed(3)} on its training text)`;
  const lines = [`run ${r.runId}: ${r.summary} · ${check}`];
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  lines.push(`record it: cellscope record --run ${r.runId}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** model.json and the weight files it names (only those, after its sizes are checked). */
function readTfjsFolder(dir: string): { modelJson: string; files: Map<string, Uint8Array> } {
  const modelPath = statSync(dir).isFile() ? dir : join(dir, 'model.json');
  if (!existsSync(modelPath)) throw new UsageError(`${modelPath} not found: PATH must hold the model.json that model.save writes, or a .pt/.pth/.safetensors/.onnx/.keras/.h5 file`);
  const modelJson = readFileSync(modelPath, 'utf8');
  const base = modelPath.slice(0, modelPath.length - 'model.json'.length);
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
  return { modelJson, files };
}
