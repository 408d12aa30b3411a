import { z } from 'zod';
import type { AccessLevel } from '../auth/access.ts';
import { ERROR_KINDS } from '../errors.ts';
import { addLabelTrackBodySchema } from './schemas/corpora.ts';
import { createLabBodySchema } from './schemas/labs.ts';
import {
  cellsQuerySchema, createRecordingBodySchema, decayQuerySchema, exportQuerySchema, featureQuerySchema, getRangeQuerySchema, getWindowQuerySchema,
  matchQuerySchema, neuronQuerySchema, saliencyQuerySchema, searchTextQuerySchema, selectQuerySchema,
} from './schemas/recordings.ts';
import { createRunBodySchema, runEventsQuerySchema, sampleRunBodySchema } from './schemas/runs.ts';
import { loginBodySchema } from './schemas/session.ts';
import { setSharingBodySchema } from './schemas/sharing.ts';

/**
 * The HTTP API as one table: every route with its request schemas (the same zod schemas the
 * routes parse with, lib/http/schemas/<resource>.ts) and what it answers. The OpenAPI 3.1
 * document at /api/openapi.json and the reference page at /api-docs are generated from it.
 */
export interface Endpoint {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  tag: 'corpora' | 'runs' | 'recordings' | 'jobs' | 'labs' | 'imports' | 'session' | 'sharing' | 'admin';
  summary: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** multipart/form-data fields: name -> description ("file" fields take files). */
  multipart?: Record<string, { description: string; file?: boolean; required?: boolean }>;
  /**
   * For a path with an {id}: what the caller needs on that item (lib/auth/access.ts), checked
   * before the route runs (lib/http/endpoint-access.ts): read (owner, shared with, or public) or
   * write (its owner). The item's kind is the path's resource.
   */
  access?: AccessLevel;
  /** What a success answers (status -> description). */
  responses: Record<number, string>;
}

const id = (what: string) => `${what} id`;
const RESOURCE_NAMES: Record<string, string> = { corpora: 'corpus', runs: 'run', recordings: 'recording', labs: 'memory lab', labels: 'label track', jobs: 'job' };

export const ENDPOINTS: Endpoint[] = [
  { method: 'GET', path: '/api/session', tag: 'session', summary: 'Who this browser is logged in as (local mode: nobody needs to be).', responses: { 200: '{mode: local|shared, user: {id, email, isAdmin} | null}' } },
  { method: 'POST', path: '/api/session', tag: 'session', summary: 'Log in (shared mode): sets an HttpOnly session cookie; 401 for any wrong e-mail and password pair.', body: loginBodySchema, responses: { 200: '{user}' } },
  { method: 'DELETE', path: '/api/session', tag: 'session', summary: 'Log out: the session is deleted and its cookie cleared.', responses: { 200: '{loggedOut}' } },
  { method: 'GET', path: '/api/corpora', tag: 'corpora', summary: 'List corpora.', responses: { 200: '{corpora: [{id, name, chars, vocabSize, trainEnd, unit, createdAt}]}' } },
  {
    method: 'POST', path: '/api/corpora', tag: 'corpora', summary: 'Upload a corpus (UTF-8 text; at most the upload limit, counted while it streams).',
    multipart: { file: { description: 'the text', file: true, required: true }, name: { description: 'a name (default: the file name)' }, unit: { description: 'char (default) or word' } },
    responses: { 201: '{corpus}' },
  },
  { method: 'GET', path: '/api/corpora/{id}', access: 'read', tag: 'corpora', summary: 'One corpus: size, vocabulary size, split.', responses: { 200: '{corpus}' } },
  { method: 'DELETE', path: '/api/corpora/{id}', access: 'write', tag: 'corpora', summary: 'Delete a corpus with its runs, recordings and label tracks (409 while a job works on them).', responses: { 200: '{deleted}' } },
  { method: 'GET', path: '/api/corpora/{id}/labels', access: 'read', tag: 'corpora', summary: "A corpus's label tracks.", responses: { 200: '{tracks: [{id, corpusId, name, labels}]}' } },
  { method: 'POST', path: '/api/corpora/{id}/labels', access: 'read', tag: 'corpora', summary: 'Upload a label track: spans of corpus positions, end exclusive, not overlapping (at most 16 tracks a corpus).', body: addLabelTrackBodySchema, responses: { 201: '{id, corpusId, name, labels}' } },
  { method: 'GET', path: '/api/runs', tag: 'runs', summary: 'List runs.', responses: { 200: '{runs: [{id, name, corpusId, arch, config, status, step, lastValBpc, ...}]}' } },
  { method: 'POST', path: '/api/runs', tag: 'runs', summary: 'Create a run and queue its training.', body: createRunBodySchema, responses: { 201: '{runId, jobId}' } },
  { method: 'GET', path: '/api/runs/{id}', access: 'read', tag: 'runs', summary: 'A run with its checkpoints, recordings and jobs.', responses: { 200: '{run, checkpoints, recordings, jobs}' } },
  { method: 'DELETE', path: '/api/runs/{id}', access: 'write', tag: 'runs', summary: 'Delete a run with its checkpoints and recordings (409 while it trains).', responses: { 200: '{deleted}' } },
  { method: 'GET', path: '/api/runs/{id}/events', access: 'read', tag: 'runs', summary: 'Server-sent events of training progress: {status, step, totalSteps, metrics (points not sent before), job}.', query: runEventsQuerySchema, responses: { 200: 'text/event-stream' } },
  { method: 'POST', path: '/api/runs/{id}/cancel', access: 'write', tag: 'runs', summary: "Cancel the run's training.", responses: { 200: '{job}' } },
  { method: 'POST', path: '/api/runs/{id}/sample', access: 'read', tag: 'runs', summary: 'Sample text from a checkpoint.', body: sampleRunBodySchema, responses: { 200: '{checkpointId, step, text}' } },
  { method: 'GET', path: '/api/recordings', tag: 'recordings', summary: 'List recordings.', responses: { 200: '{recordings}' } },
  { method: 'POST', path: '/api/recordings', tag: 'recordings', summary: "Queue a recording of a run's checkpoint over a corpus range (refused past the recording size cap or the disk's free space).", body: createRecordingBodySchema, responses: { 201: '{recordingId, jobId}' } },
  { method: 'GET', path: '/api/recordings/{id}', access: 'read', tag: 'recordings', summary: 'A recording and its job.', responses: { 200: '{recording, job}' } },
  { method: 'DELETE', path: '/api/recordings/{id}', access: 'write', tag: 'recordings', summary: 'Delete a recording with its states, index, statistics and saliency (409 while it is being made).', responses: { 200: '{deleted}' } },
  { method: 'GET', path: '/api/recordings/{id}/window', access: 'read', tag: 'recordings', summary: "Cells' values over a range (at most 20,000 steps and 2,000,000 values; 409 for steps not recorded yet).", query: getWindowQuerySchema, responses: { 200: '{start, end, cells, values[cell][t]}' } },
  { method: 'GET', path: '/api/recordings/{id}/text', access: 'read', tag: 'recordings', summary: 'The characters (or words) of a range.', query: getRangeQuerySchema, responses: { 200: '{start, end, chars[]}' } },
  { method: 'GET', path: '/api/recordings/{id}/predictions', access: 'read', tag: 'recordings', summary: 'Top-5 predictions and the probability of the true next symbol.', query: getRangeQuerySchema, responses: { 200: '{start, end, top[t]: {chars, probs}, nextProb[t]}' } },
  { method: 'GET', path: '/api/recordings/{id}/search', access: 'read', tag: 'recordings', summary: 'The next offset of a string in the recorded text.', query: searchTextQuerySchema, responses: { 200: '{offset}' } },
  { method: 'GET', path: '/api/recordings/{id}/select', access: 'read', tag: 'recordings', summary: 'LSTMVis select: the cells on across a range.', query: selectQuerySchema, responses: { 200: '{cells, note?}' } },
  { method: 'GET', path: '/api/recordings/{id}/match', access: 'read', tag: 'recordings', summary: 'LSTMVis match over the whole recording (mode=soft: nearest windows by cosine).', query: matchQuerySchema, responses: { 200: '{cells, matches, candidates, lengths, tags?, tookMs}' } },
  { method: 'GET', path: '/api/recordings/{id}/cells', access: 'read', tag: 'recordings', summary: 'Cell finder: every cell ranked by AUC or correlation with a structural feature (regular expressions in RE2 syntax).', query: cellsQuerySchema, responses: { 200: '{feature, measure, coverage, cells: [{layer, quantity, index, score, threshold?, side?, precision?, recall?}]}' } },
  { method: 'GET', path: '/api/recordings/{id}/feature', access: 'read', tag: 'recordings', summary: 'A feature track under a window of text.', query: featureQuerySchema, responses: { 200: '{feature, binary, start, values[], max}' } },
  { method: 'GET', path: '/api/recordings/{id}/neuron', access: 'read', tag: 'recordings', summary: "A neuron page's data: statistics, histogram, top and bottom examples.", query: neuronQuerySchema, responses: { 200: '{mean, std, min, max, hist, charsHigh, charsLow, features, top, bottom, ...}' } },
  { method: 'GET', path: '/api/recordings/{id}/gates', access: 'read', tag: 'recordings', summary: 'Gate saturation of every gate unit.', responses: { 200: '{layers, gates, points: [{layer, quantity, cell, low, high}]}' } },
  { method: 'GET', path: '/api/recordings/{id}/saliency', access: 'read', tag: 'recordings', summary: 'Saliency of the prediction after a position.', query: saliencyQuerySchema, responses: { 200: '{pos, window, target, targetIsNext, targetProb, stored, inputs: [{pos, char, grad, gradXInput}]}' } },
  { method: 'GET', path: '/api/recordings/{id}/saliency/decay', access: 'read', tag: 'recordings', summary: 'Mean saliency against distance.', query: decayQuerySchema, responses: { 200: '{window, samples, stored, meanGrad[d], meanAbsGradXInput[d]}' } },
  { method: 'GET', path: '/api/recordings/{id}/export', access: 'read', tag: 'recordings', summary: "A range's states as a download (npy, csv or json), streamed.", query: exportQuerySchema, responses: { 200: 'the file' } },
  { method: 'GET', path: '/api/jobs/{id}', access: 'read', tag: 'jobs', summary: 'A background job.', responses: { 200: '{job}' } },
  { method: 'GET', path: '/api/jobs/{id}/events', access: 'read', tag: 'jobs', summary: "Server-sent events of a job's progress.", responses: { 200: 'text/event-stream' } },
  { method: 'POST', path: '/api/jobs/{id}/cancel', access: 'write', tag: 'jobs', summary: 'Cancel a job (queued: at once; running: at its next step).', responses: { 200: '{job}' } },
  { method: 'GET', path: '/api/labs', tag: 'labs', summary: 'List memory labs.', responses: { 200: '{labs}' } },
  { method: 'POST', path: '/api/labs', tag: 'labs', summary: 'Create a memory lab (its runs are queued).', body: createLabBodySchema, responses: { 201: '{labId, runIds}' } },
  { method: 'GET', path: '/api/labs/{id}', access: 'read', tag: 'labs', summary: "A lab's grid: each run's status and task accuracy.", responses: { 200: '{lab, cells}' } },
  {
    method: 'POST', path: '/api/models', tag: 'imports', summary: 'Upload a TensorFlow.js LayersModel as a run (weights checked: finite, matching model.json).',
    multipart: { files: { description: 'model.json and its .bin shards', file: true, required: true }, corpusId: { description: 'the corpus it reads', required: true }, vocab: { description: 'a JSON {symbol: index} map' }, name: { description: 'a name' } },
    responses: { 201: '{runId, checkpointId, summary, warnings, valBpc, trainBpc}' },
  },
  {
    method: 'POST', path: '/api/lstmvis', tag: 'imports', summary: 'Import an LSTMVis project (files, or one zip): read in memory, HDF5 pointing outside itself refused, at most 8× the upload stored.',
    multipart: { files: { description: "the project's files named by their paths, or one .zip", file: true, required: true }, name: { description: 'a name' } },
    responses: { 201: '{corpusId, runId, recordingId, unit, timesteps, layers, hidden, quantities, labelTracks, warnings}' },
  },
  ...(['corpora', 'runs', 'recordings', 'labs', 'labels'] as const).flatMap((res): Endpoint[] => {
    const what = { corpora: 'corpus', runs: 'run', recordings: 'recording', labs: 'memory lab', labels: 'label track' }[res];
    return [
      { method: 'GET', path: `/api/${res}/{id}/sharing`, tag: 'sharing', summary: `Who may read this ${what} besides its owner (its owner only).`, access: 'write', responses: { 200: '{visibility: private|shared|public, users: [email]}' } },
      {
        method: 'POST', path: `/api/${res}/{id}/sharing`, tag: 'sharing', access: 'write', body: setSharingBodySchema, responses: { 200: '{visibility, users}' },
        summary: `Share this ${what} (its owner only): private, shared read-only with the users named, or public to every logged-in user.`,
      },
    ];
  }),
  { method: 'GET', path: '/api/admin', tag: 'admin', summary: 'The admin page: every user with their storage, and the queued and running jobs (admins only; 404 to others).', responses: { 200: '{users: [{id, email, isAdmin, storageBytes, quotaBytes, ...}], jobs}' } },
];

/** JSON Schema of a request schema, as a client sends it (before coercions and defaults). */
function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const s = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete s.$schema;
  return s;
}

/** The OpenAPI 3.1 document of ENDPOINTS. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of ENDPOINTS) {
    const parameters: unknown[] = [];
    if (e.path.includes('{id}')) parameters.push({ name: 'id', in: 'path', required: true, description: id(RESOURCE_NAMES[e.path.split('/')[2] ?? ''] ?? 'item'), schema: { type: 'integer', minimum: 1 } });
    if (e.query) {
      const q = jsonSchema(e.query);
      const props = (q.properties ?? {}) as Record<string, Record<string, unknown>>;
      const required = new Set((q.required as string[] | undefined) ?? []);
      for (const [name, schema] of Object.entries(props)) parameters.push({ name, in: 'query', required: required.has(name), schema });
    }
    const op: Record<string, unknown> = {
      tags: [e.tag],
      summary: e.summary,
      ...(e.access ? { 'x-access': e.access, description: e.access === 'write' ? 'Shared mode: the item\'s owner only (read-only sharers get a 403; others a 404).' : 'Shared mode: its owner, the users it is shared with, or anyone when it is public (others get a 404).' } : {}),
      ...(parameters.length ? { parameters } : {}),
      responses: {
        ...Object.fromEntries(Object.entries(e.responses).map(([status, description]) => [status, { description }])),
        default: { description: 'an error: its kind (ERROR_KINDS) sets the status', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
    if (e.body) op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(e.body) } } };
    if (e.multipart) {
      op.requestBody = {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: Object.fromEntries(Object.entries(e.multipart).map(([name, f]) => [name, f.file ? { type: 'array', items: { type: 'string', format: 'binary' }, description: f.description } : { type: 'string', description: f.description }])),
              required: Object.entries(e.multipart).filter(([, f]) => f.required).map(([name]) => name),
            },
          },
        },
      };
    }
    (paths[e.path] ??= {})[e.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Cellscope', version: '0.1.0', description: 'Look inside recurrent neural networks: corpora, runs, recordings and what is read from them. Errors are {error, kind, field?}. In shared mode every route but /api/session and this document needs a session cookie or "Authorization: Bearer TOKEN".' },
    paths,
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error', 'kind'],
          properties: {
            error: { type: 'string', description: 'what is wrong, in words' },
            kind: { type: 'string', enum: Object.keys(ERROR_KINDS), description: Object.entries(ERROR_KINDS).map(([k, v]) => `${k}: HTTP ${v.status}, CLI exit ${v.exit}`).join('; ') },
            field: { type: 'string', description: 'the field or parameter at fault' },
          },
        },
      },
    },
  };
}
