import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { getDb, type Db } from '../db/client.ts';
import { createCorpus, createSequenceCorpus, createWordCorpus } from '../db/corpora.ts';
import { parseSequenceFile } from '../corpus/sequences.ts';
import { getJob } from '../db/jobs.ts';
import { listRuns } from '../db/runs.ts';
import { decodeCorpusUpload, maxUploadBytes } from '../corpus/validate-upload.ts';
import { jobContext } from '../jobs/job-context.ts';
import { executeRecordJob } from '../jobs/record-job.ts';
import { executeTrainJob } from '../jobs/train-job.ts';
import { startRecording } from '../record/start-recording.ts';
import { configStack, parseTrainConfig } from '../train/config.ts';
import { sampleFromRun, sampleRunBodySchema } from '../train/sample-checkpoint.ts';
import { startTrainingRun } from '../train/start-run.ts';
import { intFlag, numberFlag, parseFlags, UsageError } from './args.ts';
import { copyTaskText } from '../corpus/tasks/copy-task.ts';
import { addingTaskText } from '../corpus/tasks/adding-task.ts';
import { runTaskAccuracy } from '../train/run-task-accuracy.ts';
import { describeError } from './describe-error.ts';
import { LAB_USAGE, labCommand } from './lab-command.ts';
import { MATCH_USAGE, matchCommand } from './match-command.ts';
import { CELLS_USAGE, cellsCommand } from './cells-command.ts';
import { SALIENCY_USAGE, saliencyCommand } from './saliency-command.ts';
import { REINDEX_USAGE, reindexCommand } from './reindex-command.ts';
import { INTERVENE_USAGE, interveneCommand } from './intervene-command.ts';
import { CAUSAL_RANK_USAGE, causalRankCommand } from './causal-rank-command.ts';
import { PATCH_USAGE, patchCommand } from './patch-command.ts';
import { DYNAMICS_USAGE, dynamicsCommand } from './dynamics-command.ts';
import { MODEL_USAGE, modelCommand } from './model-command.ts';
import { EXPORT_USAGE, exportCommand } from './export-command.ts';
import { IMPORT_LSTMVIS_USAGE, importLstmvisCommand } from './import-lstmvis-command.ts';
import { ACCOUNT_USAGE, tokenCommand, userCommand } from './account-commands.ts';

const USAGE = `cellscope: train, record and explore character-level RNNs (DATABASE_URL selects the database)

  cellscope corpus add FILE [--name N] [--words] [--sequences] [--json]
        (--words: a word-level corpus, split on whitespace; --sequences: one sequence per line, or
         JSONL {"text", "label"}: the state is reset at each sequence's start)
  cellscope corpus synth copy --gap T [--examples N] [--symbols K] [--seed S] [--json]
  cellscope corpus synth adding --length T [--examples N] [--seed S] [--json]
  cellscope train --corpus ID [--arch lstm|gru|rnn|irnn|nprnn|rhn|esn] --layers L --hidden H --steps N
                  [--batch B] [--seq T] [--lr X] [--clip X] [--dropout X]
                  [--dropout-kind feedforward|variational|recurrent-update|cell] [--norm none|layer|batch] (LSTM)
                  [--depth L] [--uncoupled] (RHN) [--spectral-radius R] (ESN)
                  [--checkpoint-every N] [--eval-every N] [--seed N] [--name S]
                  [--engine fused|tfjs] [--json]   (fused: the WebAssembly kernels where they apply)
  cellscope record --run ID [--corpus CID] [--checkpoint ID] [--start S] [--end E] [--no-gates]
                  [--saliency-start A --saliency-end B [--saliency-window W]] [--json]
                  (--no-gates: store only the states c and h, half an LSTM recording's size;
                  also store the saliency of every prediction in [A, B) over W inputs, default 64)
  cellscope sample --run ID [--checkpoint ID] [--length N] [--temperature T] [--prime S] [--json]
                  [--hold-layer N --hold-quantity Q --hold-cells 12,40 --hold-set zero|value:V|scale:F]
                  (--hold-*: those cells held so while the model reads the prime and writes)
  cellscope runs [--json]
  cellscope task-accuracy --run ID --task copy|adding [--json]
${LAB_USAGE}${MATCH_USAGE}${MODEL_USAGE}${IMPORT_LSTMVIS_USAGE}${CELLS_USAGE}${SALIENCY_USAGE}${INTERVENE_USAGE}${CAUSAL_RANK_USAGE}${PATCH_USAGE}${DYNAMICS_USAGE}${EXPORT_USAGE}${REINDEX_USAGE}${ACCOUNT_USAGE}  cellscope serve [--port P] [--host H]
`;

type Out = { json: boolean; print: (obj: Record<string, unknown>, human: string) => void };

function output(json: boolean): Out {
  return {
    json,
    print(obj, human) {
      process.stdout.write(json ? `${JSON.stringify(obj)}\n` : `${human}\n`);
    },
  };
}

async function corpusAdd(db: Db, argv: string[]): Promise<void> {
  const { values, positionals } = parseFlags(argv, { name: { type: 'string' }, words: { type: 'boolean' }, sequences: { type: 'boolean' }, json: { type: 'boolean' } });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('corpus add takes exactly one FILE');
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  const limit = maxUploadBytes();
  if (size > limit) throw new UsageError(`${file} is ${(size / 1048576).toFixed(1)} MB, over the ${(limit / 1048576).toFixed(0)} MB limit (CELLSCOPE_MAX_UPLOAD_MB)`);
  const text = decodeCorpusUpload(readFileSync(file), limit);
  const name = typeof values.name === 'string' && values.name.trim() !== '' ? values.name.trim() : basename(file);
  // --words: a word-level corpus (whitespace-separated words), for word-level models.
  const unit = values.words === true ? 'word' : 'char';
  // --sequences: separate sequences (one per line, or JSONL), each read from a fresh state.
  const c = values.sequences === true
    ? await createSequenceCorpus(db, { name, sequences: parseSequenceFile(text), unit })
    : unit === 'word' ? await createWordCorpus(db, { name, text }) : await createCorpus(db, { name, text });
  output(values.json === true).print(
    { corpusId: c.id, name: c.name, chars: c.chars, vocabSize: c.vocabSize, trainEnd: c.trainEnd, unit: c.unit, sequences: c.sequences },
    `corpus ${c.id} "${c.name}": ${c.chars} ${c.unit === 'word' ? 'words' : 'characters'}${c.sequences !== null ? ` in ${c.sequences} sequences` : ''}, vocabulary ${c.vocabSize}, validation from ${c.trainEnd}`,
  );
}

/** Adds a memory-task corpus (lib/corpus/tasks): the copying problem or the adding problem. */
async function corpusSynth(db: Db, argv: string[]): Promise<void> {
  const { values, positionals } = parseFlags(argv, {
    gap: { type: 'string' }, length: { type: 'string' }, examples: { type: 'string' }, symbols: { type: 'string' },
    seed: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' },
  });
  const task = positionals[0];
  const examples = intFlag(values, 'examples', { min: 10, max: 1_000_000 }) ?? 2000;
  const seed = intFlag(values, 'seed', { min: 0 }) ?? 1;
  let text: string;
  let name: string;
  if (task === 'copy') {
    const gap = intFlag(values, 'gap', { min: 0, max: 10_000, required: true }) as number;
    const symbols = intFlag(values, 'symbols', { min: 1, max: 100 }) ?? 10;
    text = copyTaskText({ gap, examples, symbols, seed });
    name = `copy task, gap ${gap}`;
  } else if (task === 'adding') {
    const length = intFlag(values, 'length', { min: 2, max: 10_000, required: true }) as number;
    text = addingTaskText({ length, examples, seed });
    name = `adding task, length ${length}`;
  } else {
    throw new UsageError('corpus synth takes a task: copy or adding');
  }
  const c = await createCorpus(db, { name: typeof values.name === 'string' ? values.name : name, text });
  output(values.json === true).print(
    { corpusId: c.id, name: c.name, chars: c.chars, vocabSize: c.vocabSize, trainEnd: c.trainEnd },
    `corpus ${c.id} "${c.name}": ${c.chars} characters`,
  );
}

/** Accuracy on a memory task's memory-only characters, over the run's validation split. */
async function taskAccuracy(db: Db, argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, { run: { type: 'string' }, task: { type: 'string' }, checkpoint: { type: 'string' }, json: { type: 'boolean' } });
  const runId = intFlag(values, 'run', { min: 1, required: true }) as number;
  const task = values.task;
  if (task !== 'copy' && task !== 'adding') throw new UsageError('--task must be copy or adding');
  const result = await runTaskAccuracy(db, runId, task, intFlag(values, 'checkpoint', { min: 1 }));
  output(values.json === true).print({ runId, task, ...result }, `run ${runId} (${task}): accuracy ${(100 * result.accuracy).toFixed(1)}% on ${result.targets} memory-only characters at step ${result.step}`);
}

async function train(db: Db, argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    corpus: { type: 'string' }, arch: { type: 'string' }, layers: { type: 'string' }, hidden: { type: 'string' },
    steps: { type: 'string' }, batch: { type: 'string' }, seq: { type: 'string' }, lr: { type: 'string' },
    clip: { type: 'string' }, dropout: { type: 'string' }, 'checkpoint-every': { type: 'string' },
    'eval-every': { type: 'string' }, seed: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' },
    depth: { type: 'string' }, uncoupled: { type: 'boolean' }, 'spectral-radius': { type: 'string' }, 'dropout-kind': { type: 'string' }, norm: { type: 'string' },
    engine: { type: 'string' },
  });
  const corpusId = intFlag(values, 'corpus', { min: 1, required: true }) as number;
  const raw: Record<string, unknown> = {
    arch: values.arch, layers: intFlag(values, 'layers'), hidden: intFlag(values, 'hidden'), steps: intFlag(values, 'steps'),
    batch: intFlag(values, 'batch'), seq: intFlag(values, 'seq'), learningRate: numberFlag(values, 'lr'),
    clipNorm: numberFlag(values, 'clip'), dropout: numberFlag(values, 'dropout'),
    checkpointEvery: intFlag(values, 'checkpoint-every'), evalEvery: intFlag(values, 'eval-every'), seed: intFlag(values, 'seed'),
    depth: intFlag(values, 'depth'), coupled: values.uncoupled === true ? false : undefined, spectralRadius: numberFlag(values, 'spectral-radius'),
    dropoutKind: values['dropout-kind'], norm: values.norm, engine: values.engine,
  };
  const config = parseTrainConfig(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
  const json = values.json === true;
  const { runId, jobId } = await startTrainingRun(db, {
    corpusId, config, claim: true, ...(typeof values.name === 'string' ? { name: values.name } : {}),
  });
  const result = await executeTrainJob(db, jobContext(db, jobId, json ? undefined : (l) => process.stderr.write(`${l}\n`)), runId);
  output(json).print(
    { runId, jobId, steps: result.steps, trainLoss: result.trainLoss, valBpc: result.valBpc, charsPerSec: result.charsPerSec, engine: result.engine ?? null, engineNote: result.engineNote ?? null, stopped: result.stopped },
    `run ${runId}: ${result.steps} steps, train loss ${result.trainLoss.toFixed(4)} nats/char, validation ${result.valBpc.toFixed(4)} bpc, ${Math.round(result.charsPerSec)} chars/s on the ${result.engine ?? 'no'} engine${result.engineNote ? ` (${result.engineNote})` : ''}`,
  );
}

async function record(db: Db, argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    run: { type: 'string' }, corpus: { type: 'string' }, checkpoint: { type: 'string' }, start: { type: 'string' },
    end: { type: 'string' }, 'saliency-start': { type: 'string' }, 'saliency-end': { type: 'string' }, 'saliency-window': { type: 'string' },
    'no-gates': { type: 'boolean' }, json: { type: 'boolean' },
  });
  const runId = intFlag(values, 'run', { min: 1, required: true }) as number;
  const corpusId = intFlag(values, 'corpus', { min: 1 });
  const salStart = intFlag(values, 'saliency-start', { min: 0 });
  const salEnd = intFlag(values, 'saliency-end', { min: 1 });
  const salWindow = intFlag(values, 'saliency-window', { min: 1, max: 256 });
  if ((salStart === undefined) !== (salEnd === undefined) || (salWindow !== undefined && salStart === undefined)) {
    throw new UsageError('--saliency-start and --saliency-end go together (and --saliency-window with them)');
  }
  const checkpointId = intFlag(values, 'checkpoint', { min: 1 });
  const start = intFlag(values, 'start', { min: 0 });
  const end = intFlag(values, 'end', { min: 1 });
  const json = values.json === true;
  const { recordingId, jobId } = await startRecording(db, {
    runId, claim: true, ...(values['no-gates'] === true ? { gates: false } : {}),
    ...(corpusId !== undefined ? { corpusId } : {}), ...(checkpointId !== undefined ? { checkpointId } : {}),
    ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}),
    ...(salStart !== undefined && salEnd !== undefined ? { saliency: { start: salStart, end: salEnd, ...(salWindow !== undefined ? { window: salWindow } : {}) } } : {}),
  });
  const result = await executeRecordJob(db, jobContext(db, jobId, json ? undefined : (l) => process.stderr.write(`${l}\n`)), recordingId);
  const job = await getJob(db, jobId);
  output(json).print(
    { recordingId, jobId, timesteps: result.timesteps, charsPerSec: result.charsPerSec, status: job.status },
    `recording ${recordingId}: ${result.timesteps} timesteps at ${Math.round(result.charsPerSec)} chars/s`,
  );
}

async function sample(db: Db, argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    run: { type: 'string' }, checkpoint: { type: 'string' }, length: { type: 'string' }, temperature: { type: 'string' },
    prime: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' },
    'hold-layer': { type: 'string' }, 'hold-quantity': { type: 'string' }, 'hold-cells': { type: 'string' }, 'hold-set': { type: 'string' },
  });
  const runId = intFlag(values, 'run', { min: 1, required: true }) as number;
  // --hold-*: cells held at a value while the model writes (all four, or none).
  const holdFlags = ['hold-layer', 'hold-quantity', 'hold-cells', 'hold-set'] as const;
  const given = holdFlags.filter((f) => values[f] !== undefined);
  if (given.length > 0 && given.length < holdFlags.length) throw new UsageError(`an intervention held while sampling needs ${holdFlags.map((f) => `--${f}`).join(', ')}`);
  const hold = given.length ? { layer: intFlag(values, 'hold-layer', { min: 0 }), quantity: values['hold-quantity'], cells: values['hold-cells'], set: values['hold-set'] } : undefined;
  const body = sampleRunBodySchema.parse(Object.fromEntries(Object.entries({
    checkpointId: intFlag(values, 'checkpoint', { min: 1 }), length: intFlag(values, 'length'),
    temperature: numberFlag(values, 'temperature'), prime: values.prime, seed: intFlag(values, 'seed'), hold,
  }).filter(([, v]) => v !== undefined)));
  const s = await sampleFromRun(db, runId, body);
  output(values.json === true).print({ runId, ...s }, s.text);
}

async function runs(db: Db, argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, { json: { type: 'boolean' } });
  const list = await listRuns(db);
  const rows = list.map((r) => {
    return { runId: r.id, name: r.name, corpusId: r.corpusId, arch: r.arch, layers: r.config.layers, hidden: r.config.hidden, ...(r.config.stack ? { stack: configStack(r.config).map((l) => ({ kind: l.arch, units: l.units })) } : {}), status: r.status, step: r.step, steps: r.config.steps, valBpc: r.lastValBpc };
  });
  output(values.json === true).print(
    { runs: rows },
    rows.length === 0 ? 'no runs yet' : rows.map((r) => `${r.runId}\t${r.status}\t${r.step}/${r.steps}\t${r.valBpc?.toFixed(3) ?? '-'} bpc\t${r.name}`).join('\n'),
  );
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    process.stdout.write(USAGE);
    return cmd ? 0 : 2;
  }
  if (cmd === 'serve') {
    const { values } = parseFlags(rest, { port: { type: 'string' }, host: { type: 'string' } });
    const port = intFlag(values, 'port', { min: 1, max: 65535 }) ?? Number(process.env.PORT ?? 3000);
    const { serve } = await import('../server/serve.ts');
    await serve({ port, ...(typeof values.host === 'string' ? { host: values.host } : {}) });
    return -1; // keeps running
  }
  const db = await getDb();
  try {
    if (cmd === 'corpus' && rest[0] === 'add') await corpusAdd(db, rest.slice(1));
    else if (cmd === 'corpus' && rest[0] === 'synth') await corpusSynth(db, rest.slice(1));
    else if (cmd === 'task-accuracy') await taskAccuracy(db, rest);
    else if (cmd === 'lab') await labCommand(db, rest);
    else if (cmd === 'match') await matchCommand(db, rest);
    else if (cmd === 'cells') await cellsCommand(db, rest);
    else if (cmd === 'saliency') await saliencyCommand(db, rest);
    else if (cmd === 'reindex') await reindexCommand(db, rest);
    else if (cmd === 'intervene') await interveneCommand(db, rest);
    else if (cmd === 'causal-rank') await causalRankCommand(db, rest);
    else if (cmd === 'patch') await patchCommand(db, rest);
    else if (cmd === 'dynamics') await dynamicsCommand(db, rest);
    else if (cmd === 'model') await modelCommand(db, rest);
    else if (cmd === 'export') await exportCommand(db, rest);
    else if (cmd === 'import-lstmvis') await importLstmvisCommand(db, rest);
    else if (cmd === 'train') await train(db, rest);
    else if (cmd === 'record') await record(db, rest);
    else if (cmd === 'sample') await sample(db, rest);
    else if (cmd === 'runs') await runs(db, rest);
    else if (cmd === 'user') await userCommand(db, rest);
    else if (cmd === 'token') await tokenCommand(db, rest);
    else throw new UsageError(`unknown command "${argv.join(' ')}"\n\n${USAGE}`);
    return 0;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    const { message, code } = describeError(err);
    process.stderr.write(`cellscope: ${message}\n`);
    process.exit(code);
  },
);

