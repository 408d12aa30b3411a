import { z } from 'zod';
import type { AccessLevel } from '../auth/access.ts';
import { ERROR_KINDS } from '../errors.ts';
import { adminResponseSchema } from './schemas/admin.ts';
import { deletedResponseSchema } from './schemas/common.ts';
import { addLabelTrackBodySchema, corpusResponseSchema, labelTrackResponseSchema, listCorporaResponseSchema, listLabelTracksResponseSchema } from './schemas/corpora.ts';
import { lstmvisImportResponseSchema, modelImportResponseSchema } from './schemas/imports.ts';
import { jobEventSchema, jobResponseSchema } from './schemas/jobs.ts';
import { createLabBodySchema, createLabResponseSchema, labResultsResponseSchema, listLabsResponseSchema } from './schemas/labs.ts';
import {
  cellsQuerySchema, cellsResponseSchema, createRecordingBodySchema, createRecordingResponseSchema, decayQuerySchema, decayResponseSchema, exportQuerySchema,
  featureQuerySchema, featureResponseSchema, gatesResponseSchema, getRangeQuerySchema, getWindowQuerySchema, listRecordingsResponseSchema, matchQuerySchema,
  matchResponseSchema, neuronQuerySchema, neuronResponseSchema, predictionsResponseSchema, recordingResponseSchema, saliencyQuerySchema, saliencyResponseSchema,
  searchTextQuerySchema, searchTextResponseSchema, selectQuerySchema, selectResponseSchema, textResponseSchema, windowResponseSchema,
} from './schemas/recordings.ts';
import {
  createRunBodySchema, createRunResponseSchema, listRunsResponseSchema, runDetailResponseSchema, runEventSchema, runEventsQuerySchema, sampleResponseSchema,
  sampleRunBodySchema,
} from './schemas/runs.ts';
import { loginBodySchema, loginResponseSchema, logoutResponseSchema, sessionResponseSchema } from './schemas/session.ts';
import { setSharingBodySchema, sharingResponseSchema } from './schemas/sharing.ts';
import {
  analysisCreatedSchema, analysisQuerySchema, analysisResponseSchema, causalRankBodySchema, interveneBodySchema, interveneResponseSchema, listAnalysesResponseSchema, patchBodySchema,
  fixedPointsQuerySchema, fixedPointsResponseSchema, flowQuerySchema, flowResponseSchema, jacobianQuerySchema, jacobianResponseSchema, patchResponseSchema, spectrumQuerySchema, spectrumResponseSchema,
} from './schemas/causal.ts';

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
  /** The status of a success. */
  ok: 200 | 201;
  /** The JSON a success answers (lib/http/schemas/<resource>.ts; the route answers through respond()). */
  response?: z.ZodType;
  /** text/event-stream: what each event's data is. */
  events?: z.ZodType;
  /** A file download: its media type (the format chosen decides the actual one). */
  download?: string;
}

const id = (what: string) => `${what} id`;
const RESOURCE_NAMES: Record<string, string> = { corpora: 'corpus', runs: 'run', recordings: 'recording', labs: 'memory lab', labels: 'label track', jobs: 'job' };

/** GET and POST /api/<resource>/{id}/sharing, the same for every kind of item. */
function sharingEndpoints<R extends string>(res: R, what: string) {
  return [
    { method: 'GET', path: `/api/${res}/{id}/sharing`, tag: 'sharing', summary: `Who may read this ${what} besides its owner (its owner only).`, access: 'write', ok: 200, response: sharingResponseSchema },
    {
      method: 'POST', path: `/api/${res}/{id}/sharing`, tag: 'sharing', access: 'write', body: setSharingBodySchema, ok: 200, response: sharingResponseSchema,
      summary: `Share this ${what} (its owner only): private, shared read-only with the users named, or public to every logged-in user.`,
    },
  ] as const satisfies readonly Endpoint[];
}

const ENDPOINT_DEFINITIONS = [
  { method: 'GET', path: '/api/session', tag: 'session', summary: 'Who this browser is logged in as (local mode: nobody needs to be).', ok: 200, response: sessionResponseSchema },
  { method: 'POST', path: '/api/session', tag: 'session', summary: 'Log in (shared mode): sets an HttpOnly session cookie; 401 for any wrong e-mail and password pair.', body: loginBodySchema, ok: 200, response: loginResponseSchema },
  { method: 'DELETE', path: '/api/session', tag: 'session', summary: 'Log out: the session is deleted and its cookie cleared.', ok: 200, response: logoutResponseSchema },
  { method: 'GET', path: '/api/corpora', tag: 'corpora', summary: 'List corpora.', ok: 200, response: listCorporaResponseSchema },
  {
    method: 'POST', path: '/api/corpora', tag: 'corpora', summary: 'Upload a corpus (UTF-8 text; at most the upload limit, counted while it streams).',
    multipart: { file: { description: 'the text', file: true, required: true }, name: { description: 'a name (default: the file name)' }, unit: { description: 'char (default) or word' }, sequences: { description: '1: the file holds separate sequences, one per line or JSONL {"text", "label"}; the state is reset at each' } },
    ok: 201, response: corpusResponseSchema,
  },
  { method: 'GET', path: '/api/corpora/{id}', access: 'read', tag: 'corpora', summary: 'One corpus: size, vocabulary size, split.', ok: 200, response: corpusResponseSchema },
  { method: 'DELETE', path: '/api/corpora/{id}', access: 'write', tag: 'corpora', summary: 'Delete a corpus with its runs, recordings and label tracks (409 while a job works on them).', ok: 200, response: deletedResponseSchema },
  { method: 'GET', path: '/api/corpora/{id}/labels', access: 'read', tag: 'corpora', summary: "A corpus's label tracks.", ok: 200, response: listLabelTracksResponseSchema },
  { method: 'POST', path: '/api/corpora/{id}/labels', access: 'read', tag: 'corpora', summary: 'Upload a label track: spans of corpus positions, end exclusive, not overlapping (at most 16 tracks a corpus).', body: addLabelTrackBodySchema, ok: 201, response: labelTrackResponseSchema },
  { method: 'GET', path: '/api/runs', tag: 'runs', summary: 'List runs.', ok: 200, response: listRunsResponseSchema },
  { method: 'POST', path: '/api/runs', tag: 'runs', summary: 'Create a run and queue its training.', body: createRunBodySchema, ok: 201, response: createRunResponseSchema },
  { method: 'POST', path: '/api/runs/{id}/patch', access: 'read', tag: 'runs', summary: "State patching: a clean and a corrupted text of the same length; the corrupted one run again with each layer's h (and c) at each step copied from the clean run, and the fraction of p(target) each patch restores.", body: patchBodySchema, ok: 200, response: patchResponseSchema },
  { method: 'GET', path: '/api/runs/{id}/spectrum', access: 'read', tag: 'runs', summary: "The eigenvalues of each layer's recurrent matrix at a checkpoint (default: the latest), with their Gershgorin discs and spectral radius.", query: spectrumQuerySchema, ok: 200, response: spectrumResponseSchema },
  { method: 'GET', path: '/api/runs/{id}/gradient-flow', access: 'read', tag: 'runs', summary: 'How far back gradients reach: ‖∂h_t/∂h_{t−d}‖ (and ‖∂c_t/∂c_{t−d}‖) against the distance d over corpus positions, per layer, at a checkpoint (default: the latest).', query: flowQuerySchema, ok: 200, response: flowResponseSchema },
  { method: 'GET', path: '/api/runs/{id}/jacobian', access: 'read', tag: 'runs', summary: "A layer's state Jacobian ∂s_t/∂s_{t−1} along a stretch of the run's corpus: its spectral radius at every position, and its spectrum where the radius is largest and smallest.", query: jacobianQuerySchema, ok: 200, response: jacobianResponseSchema },
  { method: 'GET', path: '/api/runs/{id}/fixed-points', access: 'read', tag: 'runs', summary: "The first layer's fixed and slow points under a constant input character, from states it visits on the run's corpus: each with its eigenvalues and stability, with that trajectory, in the plane of its first two principal components.", query: fixedPointsQuerySchema, ok: 200, response: fixedPointsResponseSchema },
  { method: 'GET', path: '/api/runs/{id}', access: 'read', tag: 'runs', summary: 'A run with its checkpoints, recordings and jobs.', ok: 200, response: runDetailResponseSchema },
  { method: 'DELETE', path: '/api/runs/{id}', access: 'write', tag: 'runs', summary: 'Delete a run with its checkpoints and recordings (409 while it trains).', ok: 200, response: deletedResponseSchema },
  { method: 'GET', path: '/api/runs/{id}/events', access: 'read', tag: 'runs', summary: 'Server-sent events of training progress: {status, step, totalSteps, metrics (points not sent before), job}.', query: runEventsQuerySchema, ok: 200, events: runEventSchema },
  { method: 'POST', path: '/api/runs/{id}/cancel', access: 'write', tag: 'runs', summary: "Cancel the run's training.", ok: 200, response: jobResponseSchema },
  { method: 'POST', path: '/api/runs/{id}/sample', access: 'read', tag: 'runs', summary: 'Sample text from a checkpoint.', body: sampleRunBodySchema, ok: 200, response: sampleResponseSchema },
  { method: 'GET', path: '/api/recordings', tag: 'recordings', summary: 'List recordings.', ok: 200, response: listRecordingsResponseSchema },
  { method: 'POST', path: '/api/recordings', tag: 'recordings', summary: "Queue a recording of a run's checkpoint over a corpus range (refused past the recording size cap or the disk's free space).", body: createRecordingBodySchema, ok: 201, response: createRecordingResponseSchema },
  { method: 'GET', path: '/api/recordings/{id}', access: 'read', tag: 'recordings', summary: 'A recording and its job.', ok: 200, response: recordingResponseSchema },
  { method: 'DELETE', path: '/api/recordings/{id}', access: 'write', tag: 'recordings', summary: 'Delete a recording with its states, index, statistics and saliency (409 while it is being made).', ok: 200, response: deletedResponseSchema },
  { method: 'GET', path: '/api/recordings/{id}/window', access: 'read', tag: 'recordings', summary: "Cells' values over a range (at most 20,000 steps and 2,000,000 values; 409 for steps not recorded yet).", query: getWindowQuerySchema, ok: 200, response: windowResponseSchema },
  { method: 'GET', path: '/api/recordings/{id}/text', access: 'read', tag: 'recordings', summary: 'The characters (or words) of a range.', query: getRangeQuerySchema, ok: 200, response: textResponseSchema },
  { method: 'GET', path: '/api/recordings/{id}/predictions', access: 'read', tag: 'recordings', summary: 'Top-5 predictions and the probability of the true next symbol.', query: getRangeQuerySchema, ok: 200, response: predictionsResponseSchema },
  { method: 'GET', path: '/api/recordings/{id}/search', access: 'read', tag: 'recordings', summary: 'The next offset of a string in the recorded text.', query: searchTextQuerySchema, ok: 200, response: searchTextResponseSchema },
  { method: 'GET', path: '/api/recordings/{id}/select', access: 'read', tag: 'recordings', summary: 'LSTMVis select: the cells on across a range.', query: selectQuerySchema, ok: 200, response: selectResponseSchema },
  { method: 'GET', path: '/api/recordings/{id}/match', access: 'read', tag: 'recordings', summary: 'LSTMVis match over the whole recording (mode=soft: nearest windows by cosine).', query: matchQuerySchema, ok: 200, response: matchResponseSchema },
  { method: 'GET', path: '/api/recordings/{id}/cells', access: 'read', tag: 'recordings', summary: 'Cell finder: every cell ranked by AUC or correlation with a structural feature (regular expressions in RE2 syntax).', query: cellsQuerySchema, ok: 200, response: cellsResponseSchema },
  { method: 'GET', path: '/api/recordings/{id}/feature', access: 'read', tag: 'recordings', summary: 'A feature track under a window of text.', query: featureQuerySchema, ok: 200, response: featureResponseSchema },
  { method: 'GET', path: '/api/recordings/{id}/neuron', access: 'read', tag: 'recordings', summary: "A neuron page's data: statistics, histogram, top and bottom examples.", query: neuronQuerySchema, ok: 200, response: neuronResponseSchema },
  { method: 'GET', path: '/api/recordings/{id}/gates', access: 'read', tag: 'recordings', summary: 'Gate saturation of every gate unit.', ok: 200, response: gatesResponseSchema },
  { method: 'GET', path: '/api/recordings/{id}/saliency', access: 'read', tag: 'recordings', summary: 'Saliency of the prediction after a position.', query: saliencyQuerySchema, ok: 200, response: saliencyResponseSchema },
  { method: 'GET', path: '/api/recordings/{id}/saliency/decay', access: 'read', tag: 'recordings', summary: 'Mean saliency against distance.', query: decayQuerySchema, ok: 200, response: decayResponseSchema },
  { method: 'POST', path: '/api/recordings/{id}/intervene', access: 'read', tag: 'recordings', summary: "Run the recording's model over a range as it is and with cells set (zero, mean, value:V, scale:F, position:P; every step or where a feature or regex holds): bits per character before and after, per class of the next character, the most affected positions.", body: interveneBodySchema, ok: 200, response: interveneResponseSchema },
  { method: 'POST', path: '/api/recordings/{id}/causal-rank', access: 'read', tag: 'recordings', summary: 'Queue a causal ranking: every cell of a layer ablated alone, ranked by the change of ln p(target) at the target positions (a job; its analysis holds the result).', body: causalRankBodySchema, ok: 201, response: analysisCreatedSchema },
  { method: 'GET', path: '/api/recordings/{id}/analyses', access: 'read', tag: 'recordings', summary: "A recording's analyses (causal rankings), newest first, without their results.", ok: 200, response: listAnalysesResponseSchema },
  { method: 'GET', path: '/api/recordings/{id}/analysis', access: 'read', tag: 'recordings', summary: 'One analysis of the recording: its progress, and its result once done.', query: analysisQuerySchema, ok: 200, response: analysisResponseSchema },
  { method: 'GET', path: '/api/recordings/{id}/export', access: 'read', tag: 'recordings', summary: "A recording's states as a download, the whole recording unless start and end give a range: .npy of any size, CSV or JSON up to 50M values; streamed, so memory stays bounded.", query: exportQuerySchema, ok: 200, download: 'application/octet-stream' },
  { method: 'GET', path: '/api/jobs/{id}', access: 'read', tag: 'jobs', summary: 'A background job.', ok: 200, response: jobResponseSchema },
  { method: 'GET', path: '/api/jobs/{id}/events', access: 'read', tag: 'jobs', summary: "Server-sent events of a job's progress.", ok: 200, events: jobEventSchema },
  { method: 'POST', path: '/api/jobs/{id}/cancel', access: 'write', tag: 'jobs', summary: 'Cancel a job (queued: at once; running: at its next step).', ok: 200, response: jobResponseSchema },
  { method: 'GET', path: '/api/labs', tag: 'labs', summary: 'List memory labs.', ok: 200, response: listLabsResponseSchema },
  { method: 'POST', path: '/api/labs', tag: 'labs', summary: 'Create a memory lab (its runs are queued).', body: createLabBodySchema, ok: 201, response: createLabResponseSchema },
  { method: 'GET', path: '/api/labs/{id}', access: 'read', tag: 'labs', summary: "A lab's grid: each run's status and task accuracy.", ok: 200, response: labResultsResponseSchema },
  {
    method: 'POST', path: '/api/models', tag: 'imports', summary: 'Upload a model trained elsewhere as a run: a TensorFlow.js LayersModel, an ONNX graph, or a PyTorch state_dict (.pt/.pth, .safetensors) whose architecture is read from its parameter names (weights checked: finite, shapes that fit).',
    multipart: {
      files: { description: 'model.json and its .bin shards, or one .pt/.pth/.safetensors/.onnx/.keras/.h5 file', file: true, required: true },
      corpusId: { description: 'the corpus it reads', required: true },
      vocab: { description: 'a JSON {symbol: index} map' },
      spec: { description: 'PyTorch only: JSON {nonlinearity?: tanh|relu, head?: module, embedding?: module}, what the weights cannot tell' },
      classes: { description: 'a classifier: a JSON list of its class names, in the read-out\'s order (its read-out scores them after every step)' },
      name: { description: 'a name' },
    },
    ok: 201, response: modelImportResponseSchema,
  },
  {
    method: 'POST', path: '/api/lstmvis', tag: 'imports', summary: 'Import an LSTMVis project (files, or one zip): read in memory, HDF5 pointing outside itself refused, at most 8× the upload stored.',
    multipart: { files: { description: "the project's files named by their paths, or one .zip", file: true, required: true }, name: { description: 'a name' } },
    ok: 201, response: lstmvisImportResponseSchema,
  },
  ...sharingEndpoints('corpora', 'corpus'),
  ...sharingEndpoints('runs', 'run'),
  ...sharingEndpoints('recordings', 'recording'),
  ...sharingEndpoints('labs', 'memory lab'),
  ...sharingEndpoints('labels', 'label track'),
  { method: 'GET', path: '/api/admin', tag: 'admin', summary: 'The admin page: every user with their storage, and the queued and running jobs (admins only; 404 to others).', ok: 200, response: adminResponseSchema },
] as const satisfies readonly Endpoint[];

/** Every route of the API (as data: the checks, the OpenAPI document, the reference page). */
export const ENDPOINTS: readonly Endpoint[] = ENDPOINT_DEFINITIONS;

/** The same table as types, literal by literal: the typed client (lib/http/client.ts) reads it. */
export type EndpointDefinitions = typeof ENDPOINT_DEFINITIONS;

/**
 * JSON Schema of a schema: a request as a client sends it (io input: before coercions and
 * defaults), a response as the client receives it (io output).
 */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const s = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete s.$schema;
  return s;
}

/** The OpenAPI response object of an endpoint's success. */
function success(e: Endpoint): Record<string, unknown> {
  if (e.response) return { description: e.ok === 201 ? 'created' : 'OK', content: { 'application/json': { schema: jsonSchema(e.response, 'output') } } };
  if (e.events) return { description: 'server-sent events; each data line is JSON of this schema; an `end` event closes the stream, an `error` event carries {error, kind}', content: { 'text/event-stream': { schema: jsonSchema(e.events, 'output') } } };
  return { description: 'the file', content: { [e.download ?? 'application/octet-stream']: { schema: { type: 'string', format: 'binary' } } } };
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
        [e.ok]: success(e),
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
