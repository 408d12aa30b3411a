import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'cellscope-cli-'));
const env = { ...process.env, DATABASE_URL: `file:${join(dir, 'cli.db')}` };

function cli(...args: string[]): { code: number; json: Record<string, unknown>; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/cellscope.js', ...args], { env, encoding: 'utf8', timeout: 120_000 });
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
  } catch {
    // not JSON: the test reads stderr
  }
  return { code: r.status ?? -1, json, stderr: r.stderr };
}

test('corpus add -> train -> record -> runs, each printing its JSON fields', { timeout: 180_000 }, () => {
  const file = join(dir, 'corpus.txt');
  const text = 'To be, or not to be, that is the question:\nWhether tis nobler in the mind to suffer\n'.repeat(40);
  writeFileSync(file, text);
  const c = cli('corpus', 'add', file, '--name', 'hamlet', '--json');
  assert.equal(c.code, 0, c.stderr);
  assert.equal(c.json.chars, text.length);
  assert.equal(typeof c.json.corpusId, 'number');
  assert.equal(c.json.vocabSize, new Set(text).size);

  const t = cli('train', '--corpus', String(c.json.corpusId), '--layers', '1', '--hidden', '16', '--steps', '12', '--batch', '4', '--seq', '16', '--eval-every', '6', '--json');
  assert.equal(t.code, 0, t.stderr);
  assert.equal(t.json.steps, 12);
  for (const k of ['runId', 'trainLoss', 'valBpc', 'charsPerSec']) assert.equal(typeof t.json[k], 'number', k);
  assert.ok((t.json.charsPerSec as number) > 0);

  const r = cli('record', '--run', String(t.json.runId), '--json');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.timesteps, text.length);
  assert.equal(typeof r.json.recordingId, 'number');
  assert.ok((r.json.charsPerSec as number) > 0);

  // --no-gates keeps only c and h: exporting a gate from it is refused, c exports.
  const states = cli('record', '--run', String(t.json.runId), '--end', '200', '--no-gates', '--json');
  assert.equal(states.code, 0, states.stderr);
  const exportOf = (q: string) => cli('export', '--recording', String(states.json.recordingId), '--layer', '0', '--quantity', q, '--start', '0', '--end', '10', '--format', 'json', '--out', join(dir, `${q}.json`));
  const gate = exportOf('f');
  assert.equal(gate.code, 2);
  assert.match(gate.stderr, /quantity must be one of c, h/);
  assert.equal(exportOf('c').code, 0);

  const runs = cli('runs', '--json');
  assert.equal((runs.json.runs as { status: string }[])[0]?.status, 'completed');
});

test('match and cells on a run\'s newest recording: JSON fields, and clear errors for a recording that is not the run\'s', { timeout: 180_000 }, () => {
  const file = join(dir, 'quotes.txt');
  writeFileSync(file, 'she said "yes, (maybe) no" and left.\n'.repeat(60));
  const c = cli('corpus', 'add', file, '--json');
  const t = cli('train', '--corpus', String(c.json.corpusId), '--layers', '1', '--hidden', '16', '--steps', '10', '--batch', '4', '--seq', '16', '--json');
  assert.equal(t.code, 0, t.stderr);
  const run = String(t.json.runId);
  const none = cli('match', '--run', run, '--layer', '0', '--start', '10', '--end', '14', '--threshold', '0.1', '--json');
  assert.equal(none.code, 2);
  assert.match(none.stderr, /has no completed recording: record it first/);
  const r = cli('record', '--run', run, '--json');
  assert.equal(r.code, 0, r.stderr);
  const m = cli('match', '--run', run, '--layer', '0', '--start', '10', '--end', '14', '--threshold', '0.1', '--no-before-off', '--limit', '3', '--json');
  assert.equal(m.code, 0, m.stderr);
  assert.equal(m.json.recordingId, r.json.recordingId);
  assert.ok(Array.isArray(m.json.cells) && Array.isArray(m.json.matches));
  assert.equal(typeof m.json.tookMs, 'number');
  for (const x of m.json.matches as Record<string, unknown>[]) for (const k of ['start', 'end', 'intersection', 'union', 'jaccard', 'text']) assert.ok(k in x, k);
  const cells = cli('cells', '--run', run, '--feature', 'quote', '--limit', '4', '--json');
  assert.equal(cells.code, 0, cells.stderr);
  assert.equal((cells.json.cells as unknown[]).length, 4);
  for (const k of ['layer', 'quantity', 'index', 'score', 'threshold', 'precision', 'recall']) assert.ok(k in ((cells.json.cells as Record<string, unknown>[])[0] ?? {}), k);
  const other = cli('cells', '--run', run, '--recording', '999', '--feature', 'quote');
  assert.equal(other.code, 2);
  assert.match(other.stderr, /recording 999 is not a completed recording of run/);

  // Saliency needs only the run's checkpoint: per-input gradient norms and gradient × input.
  const s = cli('saliency', '--run', run, '--pos', '40', '--window', '8', '--json');
  assert.equal(s.code, 0, s.stderr);
  const inputs = s.json.inputs as { pos: number; char: string; grad: number; gradXInput: number }[];
  assert.equal(inputs.length, 8);
  assert.deepEqual(inputs.map((i) => i.pos), [33, 34, 35, 36, 37, 38, 39, 40]);
  for (const i of inputs) assert.ok(Number.isFinite(i.grad) && i.grad >= 0 && Number.isFinite(i.gradXInput));
  assert.equal(s.json.target, 'she said "yes, (maybe) no" and left.\n'.repeat(60)[41]);
  const d = cli('saliency', '--run', run, '--decay', '--window', '6', '--samples', '10', '--json');
  assert.equal(d.code, 0, d.stderr);
  assert.equal((d.json.meanGrad as number[]).length, 6);
  const outside = cli('saliency', '--run', run, '--pos', '99999');
  assert.equal(outside.code, 2);
  assert.match(outside.stderr, /pos must be an integer position from 0 to 2219/);
  // The end-of-recording pass again over the stored states.
  const again = cli('reindex', '--recording', String(r.json.recordingId), '--json');
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.json.recordingId, r.json.recordingId);
  assert.deepEqual(cli('cells', '--run', run, '--feature', 'quote', '--limit', '4', '--json').json.cells, cells.json.cells, 'the same ranking from the rebuilt columns');
  const foreign = cli('saliency', '--run', run, '--pos', '5', '--target', 'Z');
  assert.equal(foreign.code, 2);
  assert.match(foreign.stderr, /target "Z" is not in the model's vocabulary/);
});

test('bad input: exit code 2, a message naming the problem on stderr, nothing stored', () => {
  const bad = join(dir, 'bad.txt');
  writeFileSync(bad, Buffer.from([0x61, 0xff, 0xfe, 0x62]));
  const before = cli('runs', '--json');
  assert.equal(before.code, 0, before.stderr);
  const r1 = cli('corpus', 'add', bad, '--json');
  assert.equal(r1.code, 2);
  assert.match(r1.stderr, /not valid UTF-8/);
  const r2 = cli('train', '--corpus', '999', '--hidden', '16', '--steps', '1');
  assert.equal(r2.code, 2);
  assert.match(r2.stderr, /corpus 999 not found/);
  const r3 = cli('train', '--corpus', '1', '--hidden', 'big');
  assert.equal(r3.code, 2);
  assert.match(r3.stderr, /--hidden must be a whole number/);
  const r4 = cli('record', '--run', '1', '--start', '10', '--end', '5');
  assert.equal(r4.code, 2);
  assert.match(r4.stderr, /end must be/);
  const r5 = cli('train', '--corpus', '1', '--layers', '9');
  assert.equal(r5.code, 2);
  assert.match(r5.stderr, /layers/);
  const r6 = cli('frobnicate');
  assert.equal(r6.code, 2);
  const after = cli('runs', '--json');
  assert.deepEqual(after.json, before.json);
});

test('memory tasks: corpus synth makes a copy-task corpus and task-accuracy scores a run on it', { timeout: 120_000 }, () => {
  const c = cli('corpus', 'synth', 'copy', '--gap', '2', '--examples', '400', '--symbols', '3', '--json');
  assert.equal(c.code, 0, c.stderr);
  assert.equal(c.json.name, 'copy task, gap 2');
  const t = cli('train', '--corpus', String(c.json.corpusId), '--hidden', '16', '--steps', '5', '--batch', '4', '--seq', '16', '--json');
  assert.equal(t.code, 0, t.stderr);
  const a = cli('task-accuracy', '--run', String(t.json.runId), '--task', 'copy', '--json');
  assert.equal(a.code, 0, a.stderr);
  assert.ok((a.json.targets as number) > 0);
  assert.ok((a.json.accuracy as number) >= 0 && (a.json.accuracy as number) <= 1);
  assert.equal(cli('corpus', 'synth', 'copy').code, 2, 'missing --gap');
  assert.equal(cli('task-accuracy', '--run', String(t.json.runId), '--task', 'sorting').code, 2);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('model add DIR: an uploaded TensorFlow.js model becomes a run that records; bad input exits 2', { timeout: 180_000 }, async () => {
  const { saveTfjsModel } = await import('../../helpers/tfjs-model-files.ts');
  const { ensureBackend, tf } = await import('../../../lib/tf/backend.ts');
  await ensureBackend();
  const file = join(dir, 'upload-corpus.txt');
  const text = 'a rose is a rose is a rose.\n'.repeat(30);
  writeFileSync(file, text);
  const c = cli('corpus', 'add', file, '--json');
  const chars = [...new Set(text)].sort();
  const keras = tf.sequential();
  keras.add(tf.layers.simpleRNN({ units: 16, returnSequences: true, inputShape: [null, chars.length] }));
  keras.add(tf.layers.dense({ units: chars.length, activation: 'softmax' }));
  const modelDir = join(dir, 'saved-model');
  await saveTfjsModel(keras, modelDir);
  keras.dispose();
  writeFileSync(join(modelDir, 'vocab.json'), JSON.stringify(Object.fromEntries(chars.map((ch, k) => [ch, k]))));
  const m = cli('model', 'add', modelDir, '--corpus', String(c.json.corpusId), '--vocab', join(modelDir, 'vocab.json'), '--json');
  assert.equal(m.code, 0, m.stderr);
  assert.equal(typeof m.json.runId, 'number');
  assert.match(String(m.json.summary), /SimpleRNN\(16\)/);
  const r = cli('record', '--run', String(m.json.runId), '--end', '300', '--json');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.status, 'completed');
  // Its states export like any recording's.
  const out = join(dir, 'states.npy');
  const e = cli('export', '--recording', String(r.json.recordingId), '--layer', '0', '--quantity', 'h', '--start', '0', '--end', '50', '--format', 'npy', '--out', out, '--json');
  assert.equal(e.code, 0, e.stderr);
  assert.equal(e.json.bytes, 128 + 50 * 16 * 4, 'a 128-byte header and 50 x 16 float32');
  const badFormat = cli('export', '--recording', String(r.json.recordingId), '--layer', '0', '--quantity', 'h', '--start', '0', '--end', '50', '--format', 'xls', '--out', out);
  assert.equal(badFormat.code, 2);
  assert.match(badFormat.stderr, /--format must be one of npy, csv, json/);
  // Without a vocabulary it is built from the corpus (same characters here), with a warning.
  const w = cli('model', 'add', modelDir, '--corpus', String(c.json.corpusId));
  assert.equal(w.code, 0, w.stderr);
  const noCorpus = cli('model', 'add', modelDir);
  assert.equal(noCorpus.code, 2);
  assert.match(noCorpus.stderr, /--corpus ID is required/);
  const missing = cli('model', 'add', join(dir, 'nowhere'), '--corpus', '1');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nowhere not found: PATH must be a folder holding model\.json/);
});

test('model add FILE.pt / .safetensors / .onnx: a PyTorch state_dict or an ONNX graph becomes a run that records, printing format, layers and summary; a pickle that runs code exits 2', { timeout: 180_000 }, () => {
  const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'torch');
  const file = join(dir, 'twelve.txt');
  writeFileSync(file, 'abcdefghijk '.repeat(50) + 'kjihgfedcba '.repeat(50));
  const c = cli('corpus', 'add', file, '--json');
  assert.equal(c.json.vocabSize, 12);
  const m = cli('model', 'add', join(fixtures, 'lstm-lm.pt'), '--corpus', String(c.json.corpusId), '--json');
  assert.equal(m.code, 0, m.stderr);
  assert.equal(m.json.format, 'pytorch');
  assert.deepEqual(m.json.layers, [{ kind: 'lstm', units: 16, direction: 'forward' }, { kind: 'lstm', units: 16, direction: 'forward' }]);
  assert.equal(m.json.summary, 'Embedding(12→5) → 2 × LSTM(16) → Linear(12)');
  const r = cli('record', '--run', String(m.json.runId), '--end', '300', '--json');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.status, 'completed');
  // The whole recording as .npy, one file per layer and quantity, with a manifest.
  const out = join(dir, 'all-npy');
  const all = cli('export', '--recording', String(r.json.recordingId), '--all', '--out', out, '--json');
  assert.equal(all.code, 0, all.stderr);
  const quantities = ['i', 'f', 'g', 'o', 'c', 'h'];
  assert.deepEqual([...(all.json.files as string[])].sort(), [0, 1].flatMap((l) => quantities.map((q) => `L${l}-${q}.npy`)).sort());
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { files: { file: string; shape: number[] }[] };
  assert.deepEqual(manifest.files.find((f) => f.file === 'L1-c.npy')?.shape, [300, 16]);
  assert.equal(statSync(join(out, 'L1-c.npy')).size, 128 + 300 * 16 * 4);
  const lv = cli('export', '--recording', String(r.json.recordingId), '--format', 'lstmvis', '--out', join(dir, 'lv-project'), '--json');
  assert.equal(lv.code, 0, lv.stderr);
  assert.deepEqual([lv.json.timesteps, lv.json.layers, lv.json.files], [300, 2, ['lstm.yml', 'states.h5', 'train.h5', 'words.dict']]);
  const h5 = cli('export', '--recording', String(r.json.recordingId), '--format', 'h5', '--out', join(dir, 'rec.h5'), '--json');
  assert.equal(h5.code, 0, h5.stderr);
  assert.equal((h5.json.datasets as unknown[]).length, 2 * 6 + 2);
  const again = cli('import-lstmvis', join(dir, 'lv-project'), '--json');
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual([again.json.timesteps, again.json.layers, again.json.hidden], [300, 2, 16]);
  const mixed = cli('export', '--recording', String(r.json.recordingId), '--all', '--layer', '0', '--out', out);
  assert.equal(mixed.code, 2);
  assert.match(mixed.stderr, /--all exports every layer and quantity/);
  const st = cli('model', 'add', join(fixtures, 'lstm-lm.safetensors'), '--corpus', String(c.json.corpusId), '--json');
  assert.equal(st.code, 0, st.stderr);
  assert.equal(st.json.format, 'safetensors');
  assert.equal(st.json.valBpc, m.json.valBpc, 'the same weights score the same');
  const onnx = cli('model', 'add', join(fixtures, 'gru-lm.onnx'), '--corpus', String(c.json.corpusId), '--json');
  assert.equal(onnx.code, 0, onnx.stderr);
  assert.deepEqual([onnx.json.format, onnx.json.summary], ['onnx', 'Embedding(12→6) → 2 × GRU(20) → Linear(12)']);
  const keras = cli('model', 'add', join(fixtures, 'lstm-lm-keras2.h5'), '--corpus', String(c.json.corpusId), '--json');
  assert.equal(keras.code, 0, keras.stderr);
  assert.deepEqual([keras.json.format, keras.json.summary, keras.json.valBpc], ['keras-h5', 'Embedding(12→5) → 2 × LSTM(16) → Dense softmax(12)', m.json.valBpc]);
  const keras3 = cli('model', 'add', join(fixtures, 'gru-lm.keras'), '--corpus', String(c.json.corpusId), '--json');
  assert.equal(keras3.code, 0, keras3.stderr);
  assert.deepEqual([keras3.json.format, keras3.json.valBpc], ['keras', onnx.json.valBpc], 'the same GRU weights as the .onnx score the same');
  const specFile = join(dir, 'relu.json');
  writeFileSync(specFile, '{"nonlinearity": "relu"}');
  const relu = cli('model', 'add', join(fixtures, 'relu-rnn.pt'), '--corpus', String(c.json.corpusId), '--spec', specFile, '--json');
  assert.equal(relu.code, 0, relu.stderr);
  assert.equal(relu.json.summary, 'one-hot(12) → RNN(16, relu) → Linear(12)');
  const evil = cli('model', 'add', join(fixtures, 'evil.pt'), '--corpus', String(c.json.corpusId));
  assert.equal(evil.code, 2);
  assert.match(evil.stderr, /calls posix\.system, which a state_dict never holds: refused/);
  const onnxSpec = cli('model', 'add', join(fixtures, 'gru-lm.onnx'), '--corpus', String(c.json.corpusId), '--spec', specFile);
  assert.equal(onnxSpec.code, 2);
  assert.match(onnxSpec.stderr, /a spec is for PyTorch state_dicts; gru-lm\.onnx says what its model is/);
  writeFileSync(specFile, '{"nonlinearity": "sigmoid"}');
  const badSpec = cli('model', 'add', join(fixtures, 'relu-rnn.pt'), '--corpus', String(c.json.corpusId), '--spec', specFile);
  assert.equal(badSpec.code, 2);
  assert.match(badSpec.stderr, /the spec: nonlinearity/);
});

test('import-lstmvis: a project folder, or a zip of it, becomes a recording; a folder without lstm.yml exits 2', { timeout: 120_000 }, async () => {
  const { writeLstmvisProject } = await import('../../helpers/lstmvis-project.ts');
  const { zipSync } = await import('fflate');
  const { readdirSync, readFileSync } = await import('node:fs');
  const project = join(dir, 'lstmvis', 'project');
  const ids = Array.from({ length: 200 }, (_, t) => (t % 5) + 1);
  await writeLstmvisProject(project, { words: ['alpha', 'beta', 'gamma', 'delta', '.'], ids, cells: 4, states: { states1: Float32Array.from({ length: 800 }, (_, i) => Math.sin(i)) } });
  const a = cli('import-lstmvis', project, '--json');
  assert.equal(a.code, 0, a.stderr);
  assert.deepEqual([a.json.unit, a.json.timesteps, a.json.hidden], ['word', 200, 4]);
  const zipPath = join(dir, 'lstmvis', 'project.zip');
  writeFileSync(zipPath, zipSync(Object.fromEntries(readdirSync(project).map((f) => [`project/${f}`, new Uint8Array(readFileSync(join(project, f)))]))));
  const z = cli('import-lstmvis', zipPath, '--name', 'zipped', '--json');
  assert.equal(z.code, 0, z.stderr);
  assert.equal(z.json.timesteps, 200);
  const e = cli('export', '--recording', String(z.json.recordingId), '--layer', '0', '--quantity', 'c', '--start', '0', '--end', '10', '--format', 'csv', '--out', join(dir, 'lstmvis', 'w.csv'));
  assert.equal(e.code, 0, e.stderr);
  assert.match(readFileSync(join(dir, 'lstmvis', 'w.csv'), 'utf8').split('\n')[1] ?? '', /^0,alpha,/);
  const none = cli('import-lstmvis', join(dir, 'lstmvis'));
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no lstm.yml/);
});

test('corpus add --sequences (JSONL with labels): each sequence recorded from a fresh state, export --sequence K gives its steps alone; a mixed-stack .pt, layer by layer', { timeout: 180_000 }, () => {
  const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'torch');
  const texts = ['abcdefghijkl', 'lkjihg', 'fedcbaabc', 'ghijklabcdefgh', 'kkkllla', 'bbbcccddd'];
  const jsonl = join(dir, 'sequences.jsonl');
  writeFileSync(jsonl, texts.map((text, k) => JSON.stringify({ text, label: k % 2 ? 'neg' : 'pos' })).join('\n') + '\n');
  const c = cli('corpus', 'add', jsonl, '--sequences', '--json');
  assert.equal(c.code, 0, c.stderr);
  assert.deepEqual([c.json.sequences, c.json.chars, c.json.vocabSize], [texts.length, texts.join('').length, 12]);
  const bad = join(dir, 'bad.jsonl');
  writeFileSync(bad, '{"text": "abc"}\n{"label": "x"}\n');
  const refused = cli('corpus', 'add', bad, '--sequences', '--json');
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /line 2 has no "text" string/);
  // The third sequence alone, as a corpus of its own: what the sequence corpus must hold over it.
  const alone = join(dir, 'alone.txt');
  writeFileSync(alone, `${texts[2]}\n`);
  const a = cli('corpus', 'add', alone, '--sequences', '--json');
  const recordOf = (corpusId: unknown): { recordingId: number; runId: number } => {
    const m = cli('model', 'add', join(fixtures, 'mixed-lm.pt'), '--corpus', String(corpusId), '--vocab', join(dir, 'mixed-vocab.json'), '--json');
    assert.equal(m.code, 0, m.stderr);
    assert.deepEqual(m.json.layers, [{ kind: 'lstm', units: 24, direction: 'forward' }, { kind: 'gru', units: 16, direction: 'forward' }]);
    const r = cli('record', '--run', String(m.json.runId), '--json');
    assert.equal(r.code, 0, r.stderr);
    return { recordingId: r.json.recordingId as number, runId: m.json.runId as number };
  };
  writeFileSync(join(dir, 'mixed-vocab.json'), JSON.stringify(Object.fromEntries([...'abcdefghijkl'].map((ch, k) => [ch, k]))));
  const inCorpus = recordOf(c.json.corpusId);
  const single = recordOf(a.json.corpusId);
  const npy = (rec: number, extra: string[], name: string): Float32Array => {
    const out = join(dir, name);
    const e = cli('export', '--recording', String(rec), '--layer', '1', '--quantity', 'h', ...extra, '--format', 'npy', '--out', out, '--json');
    assert.equal(e.code, 0, e.stderr);
    const bytes = readFileSync(out);
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset + 128, bytes.byteOffset + bytes.length));
  };
  const third = npy(inCorpus.recordingId, ['--sequence', '2'], 'seq2.npy');
  assert.equal(third.length, (texts[2] as string).length * 16, 'sequence 2: its 9 steps of the GRU layer\'s 16 cells');
  assert.deepEqual(Array.from(third), Array.from(npy(single.recordingId, [], 'alone.npy')), 'the same values as the sequence recorded alone: the state was reset at its start');
  const missing = cli('export', '--recording', String(inCorpus.recordingId), '--layer', '1', '--quantity', 'h', '--sequence', '6', '--out', join(dir, 'x.npy'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /sequence 6 does not exist: the corpus has sequences 0-5/);
  const noC = cli('export', '--recording', String(inCorpus.recordingId), '--layer', '1', '--quantity', 'c', '--out', join(dir, 'x.npy'));
  assert.match(noC.stderr, /quantity must be one of h, z, r, n for layer 1/);
  // A classifier over the same labelled sequences: --classes names them; --quantity classes exports its answers.
  writeFileSync(join(dir, 'classes.json'), JSON.stringify(['neg', 'neutral', 'pos']));
  const clf = cli('model', 'add', join(fixtures, 'sentiment-lstm.pt'), '--corpus', String(c.json.corpusId), '--vocab', join(dir, 'mixed-vocab.json'), '--classes', join(dir, 'classes.json'), '--json');
  assert.equal(clf.code, 0, clf.stderr);
  assert.equal(clf.json.summary, 'Embedding(12→6) → LSTM(20) → Linear(3 classes)');
  assert.deepEqual((clf.json.classifier as { sequences: number }).sequences, texts.length, 'every sequence is labelled neg or pos');
  const rc = cli('record', '--run', String(clf.json.runId), '--json');
  assert.equal(rc.code, 0, rc.stderr);
  const out = join(dir, 'classes.npy');
  const ex = cli('export', '--recording', String(rc.json.recordingId), '--quantity', 'classes', '--sequence', '1', '--out', out, '--json');
  assert.equal(ex.code, 0, ex.stderr);
  assert.equal(ex.json.timesteps, (texts[1] as string).length);
  const raw = readFileSync(out);
  const probs = new Float32Array(raw.buffer.slice(raw.byteOffset + 128, raw.byteOffset + raw.length));
  assert.equal(probs.length, (texts[1] as string).length * 3);
  for (let t = 0; t < probs.length / 3; t++) assert.ok(Math.abs((probs[3 * t] as number) + (probs[3 * t + 1] as number) + (probs[3 * t + 2] as number) - 1) < 3e-3, 'each step\'s class probabilities sum to 1');
  const lm = cli('export', '--recording', String(inCorpus.recordingId), '--quantity', 'classes', '--out', join(dir, 'x.npy'));
  assert.match(lm.stderr, /is of a language model, which scores next tokens, not classes/);
});

test('intervene, causal-rank, patch and dynamics print the JSON fields scripts read; bad input exits 2 naming it', { timeout: 240_000 }, () => {
  const file = join(dir, 'speech.txt');
  writeFileSync(file, 'she said "yes, (maybe) no" and left.\nhe said "no" and stayed.\n'.repeat(40));
  const c = cli('corpus', 'add', file, '--json');
  const t = cli('train', '--corpus', String(c.json.corpusId), '--layers', '1', '--hidden', '16', '--steps', '10', '--batch', '4', '--seq', '16', '--checkpoint-every', '5', '--json');
  assert.equal(t.code, 0, t.stderr);
  const run = String(t.json.runId);
  const r = cli('record', '--run', run, '--end', '1500', '--json');
  assert.equal(r.code, 0, r.stderr);
  const rec = String(r.json.recordingId);
  const i = cli('intervene', '--recording', rec, '--layer', '0', '--quantity', 'c', '--cells', '3,7', '--set', 'zero', '--where', 'feature:quote', '--start', '100', '--end', '900', '--json');
  assert.equal(i.code, 0, i.stderr);
  for (const k of ['deltaBpc', 'perClass', 'topPositions', 'bpcBefore', 'bpcAfter', 'intervened']) assert.ok(k in i.json, k);
  assert.equal(i.json.where, 'feature:quote');
  const rank = cli('causal-rank', '--recording', rec, '--layer', '0', '--quantity', 'h', '--target', '"', '--start', '100', '--end', '900', '--json');
  assert.equal(rank.code, 0, rank.stderr);
  const cells = rank.json.cells as { layer: number; quantity: string; index: number; deltaLogp: number }[];
  assert.equal(cells.length, 16);
  assert.deepEqual(Object.keys(cells[0] ?? {}).slice(0, 4), ['layer', 'quantity', 'index', 'deltaLogp']);
  assert.equal(typeof rank.json.tookMs, 'number');
  const p = cli('patch', '--run', run, '--clean', 'he said "no', '--corrupt', 'he said  no', '--target', '"', '--json');
  assert.equal(p.code, 0, p.stderr);
  assert.deepEqual((p.json.patches as { quantity: string }[]).map((x) => x.quantity), ['h', 'c']);
  const s = cli('dynamics', '--run', run, '--what', 'spectrum', '--json');
  assert.equal(s.code, 0, s.stderr);
  const layer = (s.json.layers as { layer: number; eigenvalues: number[][]; discs: number[][]; matrix: string }[])[0];
  assert.equal(layer?.eigenvalues.length, 16);
  assert.equal(layer?.discs[0]?.length, 3);
  assert.equal(layer?.matrix, 'U_g');
  const f = cli('dynamics', '--run', run, '--what', 'flow', '--positions', '4', '--distance', '10', '--json');
  assert.equal(f.code, 0, f.stderr);
  assert.equal(((f.json.layers as { curves: { mean: number[] }[] }[])[0]?.curves[0]?.mean ?? []).length, 10);
  const j = cli('dynamics', '--run', run, '--what', 'jacobian', '--start', '100', '--length', '12', '--json');
  assert.equal(j.code, 0, j.stderr);
  assert.equal((j.json.radius as number[]).length, 12);
  assert.equal((layer as unknown as { jacobian: unknown[] }).jacobian.length, 3, 'the spectrum report gives the state Jacobian at three positions too');
  const fp = cli('dynamics', '--run', run, '--what', 'fixed-points', '--input', ' ', '--starts', '6', '--json');
  assert.equal(fp.code, 0, fp.stderr);
  for (const p of fp.json.points as { q: number; fixed: boolean; stable: boolean; eigenvalues: unknown[] }[]) assert.ok(p.q <= 2e-3 * 32 && p.fixed === p.q < 1e-8 && typeof p.stable === 'boolean' && p.eigenvalues.length === 32);
  for (const [args, pattern] of [
    [['intervene', '--recording', rec, '--layer', '0', '--quantity', 'c', '--cells', '99', '--set', 'zero'], /not a cell of layer 0/],
    [['intervene', '--recording', rec, '--layer', '0', '--quantity', 'c', '--cells', '1', '--set', 'value:1e30'], /within ±10000/],
    [['causal-rank', '--recording', rec, '--layer', '0', '--target', 'Z'], /not in the model's vocabulary/],
    [['patch', '--run', run, '--clean', 'she', '--corrupt', 'sh', '--target', '"'], /same length/],
    [['dynamics', '--run', run, '--what', 'chaos'], /--what must be one of spectrum, flow, jacobian, fixed-points/],
    [['dynamics', '--run', run, '--what', 'jacobian', '--start', '3'], /start must be an integer from 64/],
    [['dynamics', '--run', run, '--what', 'fixed-points', '--input', 'Z'], /input must be one character of the model's vocabulary/],
  ] as const) {
    const bad = cli(...args);
    assert.equal(bad.code, 2, `${args.join(' ')}: ${bad.stderr}`);
    assert.match(bad.stderr, pattern);
  }
});
