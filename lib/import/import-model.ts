import type { Db } from '../db/client.ts';
import { corpusIdsIn, getCorpusSummary, loadCorpusTokens } from '../db/corpora.ts';
import type { Vocab } from '../corpus/vocab.ts';
import { BadRequestError } from '../errors.ts';
import { ensureBackend } from '../tf/backend.ts';
import { evaluateBpc } from '../train/evaluate.ts';
import { loadModel } from '../train/model-io.ts';
import { parseTrainConfig, type TrainConfig } from '../train/config.ts';
import { encodeNamedArrays } from '../train/weights-codec.ts';
import { disposeModel, stackOf, type LayerSpec } from '../../models/char-model.ts';
import type { ImportedModel } from './imported-model.ts';
import { kerasH5AsTfjs } from './keras-h5.ts';
import { kerasArchiveAsTfjs } from './keras3.ts';
import { tfjsToCharModel } from './tfjs-to-char-model.ts';
import { readOnnxGraph } from './onnx/onnx-graph.ts';
import { onnxToCharModel } from './onnx/onnx-to-char-model.ts';
import { readSafetensors } from './torch/safetensors.ts';
import { readTorchStateDict } from './torch/torch-archive.ts';
import { torchModelSpecSchema, torchToCharModel, type TorchModelSpec } from './torch/torch-to-char-model.ts';
import { requireStorage } from '../auth/quota.ts';
import { parseVocabMap } from './vocab-map.ts';
import { classifierAccuracy, parseClassNames, type ClassifierCheck } from './classifier-check.ts';

/** What every import takes besides the model's own files. */
export interface ImportTarget {
  /** The vocabulary map's JSON text (vocab-map.ts); without it, one is built from the corpus. */
  vocab?: string;
  /** The corpus the run records and explores. */
  corpusId: number;
  name?: string;
  /** Who uploads it (shared mode; null: local mode): owns the run. */
  ownerId?: number | null;
  /**
   * A classifier: its class names' JSON list, in the read-out's order (classifier-check.ts). The
   * read-out then scores these classes, not the next token.
   */
  classes?: string;
}

export interface ImportModelInput extends ImportTarget {
  /** model.json's text. */
  modelJson: string;
  /** The weight shards by the path model.json names them (or their base names). */
  files: ReadonlyMap<string, Uint8Array>;
}

/** One model file (a PyTorch state_dict as .pt/.pth or .safetensors, or an .onnx graph) and its optional spec. */
export interface ImportFileInput extends ImportTarget {
  fileName: string;
  bytes: Uint8Array;
  /** PyTorch only: the spec's JSON text (torch-to-char-model.ts torchModelSpecSchema). */
  spec?: string;
}

/** Which files a model came from. */
export type ModelFormat = 'tfjs' | 'pytorch' | 'safetensors' | 'onnx' | 'keras-h5' | 'keras';

export interface ImportModelResult {
  runId: number;
  checkpointId: number;
  format: ModelFormat;
  /** The recurrent layers as understood, in model order (0-based): cell kind, units, direction. */
  layers: { kind: string; units: number; direction: 'forward' | 'backward' }[];
  summary: string;
  warnings: string[];
  /**
   * Bits per character on the corpus's validation split (and its training text): a check that
   * the vocabulary fits. null for a classifier, which does not predict the next token.
   */
  valBpc: number | null;
  trainBpc: number | null;
  /** A classifier: its classes, and its accuracy on the corpus's labelled sequences (null: none). */
  classifier: { classes: string[]; sequences: number; accuracy: number | null } | null;
}

/** What the read-out scores, from the upload's class names (none: the next token). */
function readoutOf(input: ImportTarget): { classes?: number } {
  return input.classes !== undefined && input.classes.trim() !== '' ? { classes: parseClassNames(input.classes).length } : {};
}

/** Characters scored for the import's sanity check. */
const CHECK_CHARS = 20_000;

/** An uploaded TensorFlow.js LayersModel becomes a run (storeImportedModel). */
export async function importTfjsModel(db: Db, input: ImportModelInput): Promise<ImportModelResult> {
  await ensureBackend();
  let json: unknown;
  try {
    json = JSON.parse(input.modelJson);
  } catch (err) {
    throw new BadRequestError(`model.json is not valid JSON: ${(err as Error).message}`, 'model');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new BadRequestError('model.json must be a JSON object', 'model');
  return storeImportedModel(db, tfjsToCharModel(json as Record<string, unknown>, input.files, readoutOf(input)), { ...input, format: 'tfjs' });
}

/**
 * One model file becomes a run: a PyTorch state_dict (.pt/.pth as torch.save writes it, or
 * .safetensors) with its optional spec, an ONNX graph (.onnx), or a Keras model (Keras 3's .keras,
 * legacy .h5), which say everything themselves.
 */
export async function importModelFile(db: Db, input: ImportFileInput): Promise<ImportModelResult> {
  await ensureBackend();
  const torch = /\.(pt|pth|safetensors)$/i.test(input.fileName);
  const hasSpec = input.spec !== undefined && input.spec.trim() !== '';
  if (hasSpec && !torch) throw new BadRequestError(`a spec is for PyTorch state_dicts; ${input.fileName} says what its model is`, 'spec');
  if (/\.keras$/i.test(input.fileName)) {
    const { modelJson, files } = await kerasArchiveAsTfjs(input.bytes, input.fileName);
    return storeImportedModel(db, tfjsToCharModel(modelJson, files, readoutOf(input)), { ...input, format: 'keras' });
  }
  if (/\.(h5|hdf5)$/i.test(input.fileName)) {
    const { modelJson, files } = await kerasH5AsTfjs(input.bytes, input.fileName);
    return storeImportedModel(db, tfjsToCharModel(modelJson, files, readoutOf(input)), { ...input, format: 'keras-h5' });
  }
  if (/\.onnx$/i.test(input.fileName) && readoutOf(input).classes !== undefined) throw new BadRequestError('ONNX classifiers are not imported yet: export the model from PyTorch as a state_dict (.pt) or from Keras as .keras', 'classes');
  if (/\.onnx$/i.test(input.fileName)) return storeImportedModel(db, onnxToCharModel(readOnnxGraph(input.bytes, input.fileName)), { ...input, format: 'onnx' });
  let spec: TorchModelSpec = {};
  if (hasSpec && input.spec !== undefined) {
    let raw: unknown;
    try {
      raw = JSON.parse(input.spec);
    } catch (err) {
      throw new BadRequestError(`the spec is not valid JSON: ${(err as Error).message}`, 'spec');
    }
    const parsed = torchModelSpecSchema.safeParse(raw);
    if (!parsed.success) throw new BadRequestError(`the spec: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'spec'}: ${i.message}`).join('; ')}`, 'spec');
    spec = parsed.data;
  }
  const safetensors = /\.safetensors$/i.test(input.fileName);
  const tensors = safetensors ? readSafetensors(input.bytes, input.fileName) : readTorchStateDict(input.bytes, input.fileName);
  return storeImportedModel(db, torchToCharModel(tensors, spec, readoutOf(input)), { ...input, format: safetensors ? 'safetensors' : 'pytorch' });
}

/**
 * An imported model becomes a run like any other: its weights, mapped onto the instrumented
 * cells, in a checkpoint at step 0, its vocabulary on the run, its corpus the one given.
 * Everything is checked before anything is stored; the checkpoint's losses are the model's own on
 * that corpus.
 */
async function storeImportedModel(db: Db, imported: ImportedModel, input: ImportTarget & { format: ModelFormat }): Promise<ImportModelResult> {
  const corpus = await getCorpusSummary(db, input.corpusId);
  const corpusTokens = await loadCorpusTokens(db, corpus.id);
  const what = corpus.unit === 'word' ? 'words' : 'characters';
  const warnings = [...imported.warnings];
  let vocab: Vocab;
  if (input.vocab !== undefined) {
    vocab = parseVocabMap(input.vocab, imported.shape.vocabSize, corpus.unit);
  } else {
    // The corpus's own vocabulary: characters by code point, or words sorted.
    vocab = corpusTokens.vocab;
    if (vocab.chars.length !== imported.shape.vocabSize) {
      throw new BadRequestError(`no vocabulary was given, and corpus ${corpus.id} has ${vocab.chars.length} distinct ${what} while the model reads ${imported.shape.vocabSize}: upload the ${corpus.unit === 'word' ? 'word' : 'character'} → index map the model was trained with`, 'vocab');
    }
    warnings.push(`no vocabulary was given: it was built from corpus "${corpus.name}" (its ${what} sorted, Cellscope's own convention); if the model was trained with another order its predictions will be nonsense, so check the bits per ${corpus.unit === 'word' ? 'word' : 'character'}`);
  }
  let ids: Int32Array;
  try {
    ids = await corpusIdsIn(db, corpus.id, vocab);
  } catch (err) {
    throw new BadRequestError(`corpus ${corpus.id} cannot be read by this model: ${(err as Error).message}`, 'corpusId');
  }
  const weights = encodeNamedArrays(imported.weights);
  const model = loadModel(imported.shape, weights);
  const classes = input.classes !== undefined && input.classes.trim() !== '' ? parseClassNames(input.classes) : null;
  const hasReadout = !('readout' in imported.shape && imported.shape.readout === false);
  let valBpc: number | null = null;
  let trainBpc: number | null = null;
  let check: ClassifierCheck | null = null;
  try {
    if (!hasReadout) {
      warnings.push('a bidirectional model predicts no next character (its backward direction has read it): its states are recorded, without predictions');
    } else if (classes) {
      // A classifier answers after a sequence's last token: scored on the labelled sequences.
      check = classifierAccuracy(model, ids, corpusTokens.sequences, classes);
      if (check.accuracy === null) warnings.push(`corpus "${corpus.name}" has no sequences labelled with these classes (${classes.slice(0, 5).join(', ')}${classes.length > 5 ? ', ...' : ''}): no accuracy was measured; upload the corpus as JSONL {"text", "label"} sequences to check it`);
    } else {
      const valIds = ids.length - corpus.trainEnd >= 2 ? ids.subarray(corpus.trainEnd) : ids;
      valBpc = evaluateBpc(model, valIds, CHECK_CHARS);
      trainBpc = evaluateBpc(model, ids.subarray(0, Math.max(2, corpus.trainEnd)), CHECK_CHARS);
    }
  } finally {
    disposeModel(model);
  }
  const stack = stackOf(imported.shape);
  const config = importedRunConfig(stack, classes);
  // A language model's loss is its cross-entropy per character; a classifier's, that of its
  // answers on the labelled sequences (0 when the corpus has none: nothing was measured).
  const trainLoss = trainBpc !== null ? trainBpc * Math.LN2 : (check?.loss ?? 0);
  await requireStorage(db, { ownerId: input.ownerId ?? null, bytes: weights.byteLength, what: 'this model' });
  const name = input.name?.trim() || `uploaded ${imported.summary}`;
  const created = await db.prisma.$transaction(async (tx) => {
    const run = await tx.run.create({
      data: {
        name: name.slice(0, 200), corpusId: corpus.id, arch: config.arch, config: JSON.stringify(config), status: 'completed', step: 0,
        vocab: JSON.stringify(vocab.chars),
        ownerId: input.ownerId ?? null,
        // One measured point: the uploaded model's own losses on this corpus (no training here).
        ...(trainBpc !== null ? { metricPoints: { create: [{ step: 0, trainLoss, trainBpc, valBpc, charsPerSec: 0, elapsedMs: 0 }] } } : {}),
      },
    });
    const ck = await tx.checkpoint.create({ data: { runId: run.id, step: 0, trainLoss, valBpc, weights, position: 0 } });
    return { runId: run.id, checkpointId: ck.id };
  });
  const layers = stack.map((l) => ({ kind: l.arch, units: l.units, direction: l.direction ?? ('forward' as const) }));
  const classifier = classes ? { classes, sequences: check?.sequences ?? 0, accuracy: check?.accuracy ?? null } : null;
  return { ...created, format: input.format, layers, summary: imported.summary, warnings, valBpc, trainBpc, classifier };
}

/**
 * The run configuration of an imported stack: `layers` × `arch`(`hidden`) when every layer is
 * alike, else each layer in `stack` (lib/train/config.ts).
 */
export function importedRunConfig(stack: readonly LayerSpec[], classes: readonly string[] | null = null): TrainConfig {
  const first = stack[0];
  if (!first) throw new BadRequestError('the model has no recurrent layer', 'files');
  const activationsOf = (l: LayerSpec) => ({
    recurrentActivation: l.options?.recurrentActivation ?? 'sigmoid', resetAfter: l.options?.resetAfter ?? false,
    ...(l.options?.activation ? { activation: l.options.activation } : {}),
  });
  const key = (l: LayerSpec): string => JSON.stringify([l.arch, l.units, activationsOf(l), l.direction ?? 'forward', l.inputs ?? null]);
  const uniform = stack.every((l) => key(l) === key(first));
  return parseTrainConfig({
    arch: first.arch, layers: stack.length, hidden: Math.max(...stack.map((l) => l.units)), source: 'imported', engine: 'fused',
    ...activationsOf(first),
    ...(uniform ? {} : { stack: stack.map((l) => ({ arch: l.arch, units: l.units, ...activationsOf(l), ...(l.direction === 'backward' ? { direction: 'backward' as const } : {}), ...(l.inputs ? { inputs: [...l.inputs] } : {}) })) }),
    ...(classes ? { classes: [...classes] } : {}),
  });
}
