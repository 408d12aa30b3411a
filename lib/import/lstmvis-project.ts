import { parse as parseYaml } from 'yaml';
import type { Db } from '../db/client.ts';
import { createTokenCorpus, MAX_WORD_VOCAB } from '../db/corpora.ts';
import { placeholderToken } from '../corpus/vocab.ts';
import { storeLabelTrack } from '../db/corpus-labels.ts';
import { getRecording } from '../db/recordings.ts';
import { finishJob, newLease } from '../db/jobs.ts';
import { jobContext } from '../jobs/job-context.ts';
import { BadRequestError, PayloadTooLargeError } from '../errors.ts';
import { parseTrainConfig } from '../train/config.ts';
import { writeChunks } from '../record/chunk-store.ts';
import { encodeF16 } from '../record/f16.ts';
import { DEFAULT_CHUNK_SIZE, STATE_CODEC } from '../record/quantities.ts';
import { indexRecording } from '../jobs/index-recording.ts';
import { alikeLayers, recordingSize } from '../search/recording-size.ts';
import type { H5Dataset, H5File } from './h5.ts';
import { requireStorage } from '../auth/quota.ts';
import { projectPath, type ProjectFiles } from './project-files.ts';

/**
 * Imports an LSTMVis project folder (HendrikStrobelt/LSTMVis, its documented layout): lstm.yml
 * naming the HDF5 and .dict files; `word_sequence` (token ids and the dict mapping them to
 * tokens, one "token id" pair per line); `states.types` ([{type: state|output, layer (from 1),
 * path, file?, transform?}]); optional `meta` annotations, discrete (with a dict) or scalar.
 * It becomes a corpus (of words when the tokens are not single characters), a run marking the
 * project (it has no model), and a completed recording with LSTMVis's state types as the cell
 * state c (type state) and the hidden state h (type output) of each layer, transformed as
 * LSTMVis shows them (tanh unless `transform: none`). Meta entries become label tracks of the
 * corpus. Select & match, the neuron views, the neuron pages and exports then work on it.
 */
export const MAX_LSTMVIS_STEPS = 20_000_000;
export const MAX_LSTMVIS_CELLS = 4096;
export const MAX_LSTMVIS_LAYERS = 8;
/** Most annotations (meta entries) imported; each becomes a label track of 2 bytes a step. */
export const MAX_LSTMVIS_META = 16;
/**
 * An upload may store at most this many times its own size. Float32 states become float16 plus
 * an index of about the same size (~1×), so a real project stays far below it; an HDF5 file of
 * fill-value datasets (a few bytes declaring millions of rows) does not.
 */
export const MAX_IMPORT_EXPANSION = 8;
const SCALAR_BINS = 10;

type Json = Record<string, unknown>;

export interface LstmvisImport {
  corpusId: number;
  runId: number;
  recordingId: number;
  unit: 'char' | 'word';
  timesteps: number;
  layers: number;
  hidden: number;
  quantities: string[];
  labelTracks: string[];
  warnings: string[];
}

function fail(message: string, field = 'project'): never {
  throw new BadRequestError(message, field);
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A .dict file: "token id" per line, as tokens by id. As LSTMVis's data handler reads it: split on
 * whitespace, and a line that starts with a blank and holds only an id (" 5") names the space
 * token (a character-level dict has one; likewise a tab, "\t 7").
 */
export function parseLstmvisDict(text: string, what: string): Map<number, string> {
  const out = new Map<number, string>();
  text.split(/\r?\n/).forEach((line, k) => {
    if (line.trim() === '') return;
    const parts = line.trim().split(/\s+/);
    const blank = parts.length === 1 && /^[ \t]/.test(line) ? (line[0] as string) : null;
    const idText = blank !== null ? parts[0] : parts[1];
    if ((parts.length !== 2 && blank === null) || !/^-?\d+$/.test(idText ?? '')) fail(`${what} line ${k + 1} is not "token id": ${JSON.stringify(line.slice(0, 60))}`);
    const id = Number(idText);
    if (id < 0 || id >= MAX_WORD_VOCAB) fail(`${what} line ${k + 1}: id ${id} is out of range (ids run from 0 to ${MAX_WORD_VOCAB - 1})`);
    out.set(id, blank ?? (parts[0] as string));
  });
  if (out.size === 0) fail(`${what} is empty`);
  return out;
}

/** Tokens by id as a vocabulary array; ids no token has get private-use placeholders (placeholderToken). */
function vocabOf(dict: Map<number, string>): string[] {
  const size = Math.max(...dict.keys()) + 1;
  return Array.from({ length: size }, (_, id) => dict.get(id) ?? placeholderToken(id));
}

function intArray(d: H5Dataset, what: string): Int32Array {
  const shape = d.shape;
  if (!(shape.length === 1 || (shape.length === 2 && shape[1] === 1))) fail(`${what} must be a 1-D array of ids, its shape is [${shape.join(', ')}]`);
  if ((shape[0] ?? 0) > MAX_LSTMVIS_STEPS) fail(`${what} has ${shape[0]} steps, over the ${MAX_LSTMVIS_STEPS.toLocaleString('en-US')} Cellscope imports`);
  const v = d.value;
  return Int32Array.from(v as ArrayLike<number | bigint>, (x) => Number(x));
}

/** An annotation's first `T` values; its shape is checked before anything is read. */
function metaValues(d: H5Dataset, T: number, what: string): ArrayLike<number | bigint> {
  const shape = d.shape;
  if (!(shape.length === 1 || (shape.length === 2 && shape[1] === 1))) fail(`${what} must be a 1-D array with a value per step, its shape is [${shape.join(', ')}]`);
  return d.rows(0, Math.min(T, shape[0] ?? 0));
}

export async function importLstmvisProject(db: Db, project: ProjectFiles, opts: { name?: string; ownerId?: number | null } = {}): Promise<LstmvisImport> {
  const yml = ['lstm.yml', 'lstm.yaml'].find((n) => project.has(n)) ?? project.paths().filter((n) => /^[^/]+\.ya?ml$/.test(n)).sort()[0];
  if (!yml) fail('the project has no lstm.yml');
  let config: unknown;
  try {
    config = parseYaml(project.readText(yml), { maxAliasCount: 100 });
  } catch (err) {
    fail(`lstm.yml is not valid YAML: ${(err as Error).message}`);
  }
  if (!isObject(config)) fail('lstm.yml must be a mapping');
  const files = config.files;
  if (!isObject(files)) fail('lstm.yml has no files: section naming the HDF5 and .dict files');
  const fileOf = (ref: unknown, what: string): string => {
    if (typeof ref !== 'string' || typeof files[ref] !== 'string') fail(`${what} names ${JSON.stringify(ref)}, which is not in lstm.yml's files`);
    const name = files[ref];
    const path = projectPath(name, `file ${ref} in lstm.yml,`);
    if (!project.has(path)) fail(`file ${name} (${ref} in lstm.yml) is missing from the project`);
    return path;
  };
  const h5Cache = new Map<string, H5File>();
  const h5 = async (ref: unknown, what: string): Promise<H5File> => {
    const path = fileOf(ref, what);
    if (!/\.(h5|hdf5)$/i.test(path)) fail(`${what}: ${path} is not an HDF5 file (.h5 or .hdf5)`);
    const hit = h5Cache.get(path);
    if (hit) return hit;
    const f = await project.openH5(path);
    h5Cache.set(path, f);
    return f;
  };
  const dataset = (f: H5File, path: unknown, what: string): H5Dataset => {
    if (typeof path !== 'string') fail(`${what} has no path`);
    const d = f.dataset(path);
    if (!d) fail(`${what}: ${f.name} has no dataset ${path}`);
    return d;
  };
  const warnings: string[] = [];
  try {
    // Tokens.
    const ws = config.word_sequence;
    if (!isObject(ws)) fail('lstm.yml has no word_sequence: section');
    const ids = intArray(dataset(await h5(ws.file, 'word_sequence'), ws.path, 'word_sequence'), 'word_sequence');
    const dict = parseLstmvisDict(project.readText(fileOf(ws.dict_file, 'word_sequence.dict_file')), 'the word dict');
    const vocab = vocabOf(dict);
    const missing = ids.find((id) => !dict.has(id));
    if (missing !== undefined) fail(`the word sequence holds id ${missing}, which the dict does not name`);
    const T = ids.length;
    if (T < 2) fail('the word sequence is empty');
    const unit: 'char' | 'word' = [...dict.values()].every((t) => [...t].length === 1) ? 'char' : 'word';

    // State types: type state -> c, output -> h, per layer (1-based in LSTMVis).
    const st = config.states;
    if (!isObject(st) || !Array.isArray(st.types) || st.types.length === 0) fail('lstm.yml has no states: section with types');
    const byLayer = new Map<number, Map<string, { d: H5Dataset; tanh: boolean }>>();
    let H = 0;
    for (const [k, raw] of st.types.entries()) {
      if (!isObject(raw)) fail(`states.types[${k}] is not a mapping`);
      const quantity = raw.type === 'state' ? 'c' : raw.type === 'output' ? 'h' : fail(`states.types[${k}] has type ${JSON.stringify(raw.type)}; LSTMVis types are state and output`);
      const layer = Number(raw.layer ?? 1);
      if (!Number.isInteger(layer) || layer < 1 || layer > MAX_LSTMVIS_LAYERS) fail(`states.types[${k}].layer must be 1 to ${MAX_LSTMVIS_LAYERS}, got ${JSON.stringify(raw.layer)}`);
      const d = dataset(await h5(raw.file ?? st.file, `states.types[${k}]`), raw.path, `states.types[${k}]`);
      if (d.shape.length !== 2) fail(`states.types[${k}] (${String(raw.path)}) must be [timesteps, cells], its shape is [${d.shape.join(', ')}]`);
      const [rows, cells] = d.shape as [number, number];
      if (cells < 1 || cells > MAX_LSTMVIS_CELLS) fail(`states.types[${k}] has ${cells} cells; Cellscope imports up to ${MAX_LSTMVIS_CELLS}`);
      if (rows < T) fail(`states.types[${k}] (${String(raw.path)}) has ${rows} timesteps but the word sequence ${T}`);
      if (rows > T) warnings.push(`${String(raw.path)} has ${rows - T} more timesteps than the word sequence: they are left out`);
      if (H && cells !== H) fail(`states.types[${k}] has ${cells} cells but an earlier type ${H}: Cellscope's layers all have one size`);
      H = cells;
      const quantities = byLayer.get(layer) ?? new Map();
      if (quantities.has(quantity)) fail(`layer ${layer} lists two ${raw.type} types`);
      quantities.set(quantity, { d, tanh: raw.transform !== 'none' });
      byLayer.set(layer, quantities);
    }
    const layers = Math.max(...byLayer.keys());
    const quantities = ['c', 'h'].filter((q) => byLayer.get(1)?.has(q));
    for (let l = 1; l <= layers; l++) {
      const qs = byLayer.get(l);
      if (!qs) fail(`layers 1 to ${layers} need states, and layer ${l} has none`);
      const names = [...qs.keys()].sort().join(', ');
      if (names !== [...quantities].sort().join(', ')) fail(`layer ${l} has ${names} but layer 1 has ${quantities.join(', ')}: every layer needs the same state types`);
    }

    // Annotations: read and checked before anything is stored.
    const metas: { name: string; names: string[]; tags: Uint16Array }[] = [];
    if (isObject(config.meta)) {
      const entries = Object.entries(config.meta);
      if (entries.length > MAX_LSTMVIS_META) fail(`lstm.yml has ${entries.length} meta entries; Cellscope imports up to ${MAX_LSTMVIS_META} annotations`);
      const seen = new Set<string>();
      for (const [name, m] of entries) {
        if (!isObject(m)) continue;
        if (m.index !== undefined && m.index !== 'self') {
          warnings.push(`meta ${name} is indexed through ${String(m.index)}: left out (only per-position annotations are imported)`);
          continue;
        }
        const key = JSON.stringify([m.file, m.path, m.dict ?? null, m.vis ?? null]);
        if (seen.has(key)) {
          warnings.push(`meta ${name} repeats an earlier annotation: left out`);
          continue;
        }
        seen.add(key);
        const values = metaValues(dataset(await h5(m.file, `meta ${name}`), m.path, `meta ${name}`), T, `meta ${name}`);
        const vis = isObject(m.vis) ? m.vis : {};
        let labelOf: (v: number) => string;
        if (m.dict !== undefined) {
          const md = parseLstmvisDict(project.readText(fileOf(m.dict, `meta ${name}.dict`)), `the ${name} dict`);
          labelOf = (v) => md.get(v) ?? String(v);
        } else if (vis.type === 'scalar') {
          const range = Array.isArray(vis.range) && vis.range.length === 2 ? (vis.range as number[]) : [0, 1];
          const [lo, hi] = [Number(range[0]), Number(range[1])];
          const width = (hi - lo) / SCALAR_BINS || 1;
          labelOf = (v) => {
            const b = Math.max(0, Math.min(SCALAR_BINS - 1, Math.floor((v - lo) / width)));
            return `${(lo + b * width).toPrecision(3)}–${(lo + (b + 1) * width).toPrecision(3)}`;
          };
        } else {
          labelOf = (v) => String(v);
        }
        // One label index a step, built directly (a span object a step would cost ~100 bytes).
        const names = [''];
        const indexOf = new Map<string, number>([['', 0]]);
        const tags = new Uint16Array(T);
        for (let p = 0; p < values.length; p++) {
          const label = labelOf(Number(values[p])).slice(0, 64);
          let k = indexOf.get(label);
          if (k === undefined) {
            if (names.length > 65535) fail(`meta ${name} has more than 65,535 distinct labels`);
            k = names.length;
            names.push(label);
            indexOf.set(label, k);
          }
          tags[p] = k;
        }
        if (names.length > 1) metas.push({ name: name.slice(0, 100), names, tags });
      }
    }

    // What it would store, against what was uploaded: a few bytes of HDF5 can declare millions
    // of fill-value rows.
    const size = recordingSize(T, alikeLayers(layers, H, quantities));
    const stored = size.states + size.index + T * (2 * metas.length + 8);
    if (project.uploadedBytes !== null && stored > MAX_IMPORT_EXPANSION * project.uploadedBytes + 1024 ** 2) {
      throw new PayloadTooLargeError(`the project would store ${(stored / 1024 ** 2).toFixed(1)} MB from ${(project.uploadedBytes / 1024 ** 2).toFixed(2)} MB uploaded; an upload may store at most ${MAX_IMPORT_EXPANSION} times its size (HDF5 datasets without data, such as fill values, are not imported)`);
    }

    const ownerId = opts.ownerId ?? null;
    await requireStorage(db, { ownerId, bytes: stored, what: 'this project' });

    // Stored from here on; a failure removes everything made so far.
    const name = (opts.name?.trim() || (typeof config.name === 'string' ? config.name : '') || 'LSTMVis project').slice(0, 200);
    const corpus = await createTokenCorpus(db, { name, vocab, ids, unit, ownerId });
    try {
      const labelTracks: string[] = [];
      for (const m of metas) {
        await storeLabelTrack(db, corpus.id, m, ownerId);
        labelTracks.push(m.name);
      }
      const runConfig = parseTrainConfig({ arch: 'lstm', layers: Math.min(layers, 3), hidden: Math.max(16, Math.min(H, 4096)), source: 'lstmvis' });
      const run = await db.prisma.run.create({ data: { name: `${name} (LSTMVis)`, corpusId: corpus.id, arch: 'lstm', config: JSON.stringify(runConfig), status: 'completed', step: 0, ownerId } });
      // A recording points at a checkpoint: an imported project has no model, so its checkpoint holds no weights.
      const ck = await db.prisma.checkpoint.create({ data: { runId: run.id, step: 0, trainLoss: 0, valBpc: null, weights: new Uint8Array(0) } });
      const row = await db.prisma.recording.create({
        data: {
          runId: run.id, checkpointId: ck.id, corpusId: corpus.id, start: 0, end: T, quantities: JSON.stringify(quantities), layers, hidden: H,
          chunkSize: DEFAULT_CHUNK_SIZE, codec: STATE_CODEC, status: 'running', origin: 'lstmvis', ownerId,
        },
      });
      // A job holds the import's lease while it writes: if this process dies midway, a worker
      // finds the lease expired and removes the partial import (lib/db/jobs.ts).
      const job = await db.prisma.job.create({
        data: { kind: 'import', status: 'running', payload: JSON.stringify({ recordingId: row.id }), runId: run.id, recordingId: row.id, startedAt: new Date(), attempts: 1, message: 'importing', ownerId, ...newLease() },
      });
      const ctx = jobContext(db, job.id);
      try {
        await writeStates(db, row.id, byLayer, quantities, layers, T, H);
        const rec = await getRecording(db, row.id);
        await indexRecording(db, rec, { ids, vocab: { chars: vocab, index: new Map(vocab.map((c, k) => [c, k])) }, unit });
        await db.prisma.recording.update({ where: { id: row.id }, data: { status: 'completed' } });
        await finishJob(db, job.id, 'completed', { message: `imported ${T.toLocaleString('en-US')} steps` });
      } finally {
        ctx.release();
      }
      return { corpusId: corpus.id, runId: run.id, recordingId: row.id, unit, timesteps: T, layers, hidden: H, quantities, labelTracks, warnings };
    } catch (err) {
      await db.prisma.corpus.delete({ where: { id: corpus.id } }).catch(() => {});
      throw err;
    }
  } finally {
    for (const f of h5Cache.values()) f.close();
  }
}

/** Every state type into float16 chunks, a block of rows at a time (hyperslab reads). */
async function writeStates(db: Db, recordingId: number, byLayer: Map<number, Map<string, { d: H5Dataset; tanh: boolean }>>, quantities: string[], layers: number, T: number, H: number): Promise<void> {
  const chunk = DEFAULT_CHUNK_SIZE;
  const block = chunk * 64;
  for (let l = 1; l <= layers; l++) {
    for (const q of quantities) {
      const src = byLayer.get(l)?.get(q);
      if (!src) continue;
      for (let b0 = 0; b0 < T; b0 += block) {
        const b1 = Math.min(T, b0 + block);
        const raw = src.d.rows(b0, b1);
        const values = Float32Array.from(raw, (v) => (src.tanh ? Math.tanh(v) : v));
        const bad = values.findIndex((v) => Number.isNaN(v) || (!src.tanh && !Number.isFinite(v)));
        if (bad >= 0) fail(`layer ${l} ${q === 'c' ? 'state' : 'output'} holds ${values[bad]} at step ${b0 + Math.floor(bad / H)}, cell ${bad % H}: states must be finite numbers`);
        const rows = [];
        for (let c0 = b0; c0 < b1; c0 += chunk) {
          const len = Math.min(chunk, b1 - c0);
          const half = new Uint16Array(len * H);
          encodeF16(values.subarray((c0 - b0) * H, (c0 - b0 + len) * H), half);
          rows.push({ layer: l - 1, quantity: q, chunk: c0 / chunk, start: c0, length: len, data: new Uint8Array(half.buffer) });
        }
        await writeChunks(db.raw, recordingId, rows);
      }
    }
  }
}
