import type { Db } from '../db/client.ts';
import { importModelFile, importTfjsModel } from '../import/import-model.ts';
import { importLstmvisProject } from '../import/lstmvis-project.ts';
import { memoryProject } from '../import/project-files.ts';
import { unzipProject } from '../import/unzip-project.ts';
import { rankCells } from '../search/cell-finder.ts';
import { recordingSaliencyAt, recordingSaliencyDecay } from '../saliency/recording-saliency.ts';
import { matchInRecording } from '../search/search-service.ts';
import { intervene } from '../causal/intervene.ts';
import { patchStates } from '../causal/patching.ts';
import { runSpectrum } from '../dynamics/spectrum-report.ts';
import { runGradientFlow } from '../dynamics/flow-report.ts';
import { runJacobian } from '../dynamics/jacobian-report.ts';
import { runFixedPoints } from '../dynamics/fixed-point-report.ts';

/**
 * The requests heavy enough to stall a web server if run on its thread (saliency decay took
 * 125 s, a soft match 49 s, an LSTMVis import 44 s): each runs on a thread of the web process's
 * pool (lib/server/off-thread.ts) with its own database connection, and the web thread stays
 * free to answer everyone else. Arguments and results are plain data (structured clone).
 */
export const TASKS = {
  saliencyAt: (db: Db, a: { recordingId: number; q: Parameters<typeof recordingSaliencyAt>[2] }) => recordingSaliencyAt(db, a.recordingId, a.q),
  saliencyDecay: (db: Db, a: { recordingId: number; q: Parameters<typeof recordingSaliencyDecay>[2] }) => recordingSaliencyDecay(db, a.recordingId, a.q),
  match: (db: Db, a: { recordingId: number; q: Parameters<typeof matchInRecording>[2] }) => matchInRecording(db, a.recordingId, a.q),
  rankCells: (db: Db, a: { recordingId: number; q: Parameters<typeof rankCells>[2] }) => rankCells(db, a.recordingId, a.q),
  intervene: (db: Db, a: { recordingId: number; q: Parameters<typeof intervene>[2]; detail?: boolean }) => intervene(db, a.recordingId, a.q, { detail: a.detail === true }),
  patch: (db: Db, a: { runId: number; q: Parameters<typeof patchStates>[2] }) => patchStates(db, a.runId, a.q),
  spectrum: (db: Db, a: { runId: number; q: Parameters<typeof runSpectrum>[2] }) => runSpectrum(db, a.runId, a.q),
  gradientFlow: (db: Db, a: { runId: number; q: Parameters<typeof runGradientFlow>[2] }) => runGradientFlow(db, a.runId, a.q),
  jacobian: (db: Db, a: { runId: number; q: Parameters<typeof runJacobian>[2] }) => runJacobian(db, a.runId, a.q),
  fixedPoints: (db: Db, a: { runId: number; q: Parameters<typeof runFixedPoints>[2] }) => runFixedPoints(db, a.runId, a.q),
  importModel: (db: Db, a: Parameters<typeof importTfjsModel>[1]) => importTfjsModel(db, a),
  importModelFile: (db: Db, a: Parameters<typeof importModelFile>[1]) => importModelFile(db, a),
  importLstmvis: (db: Db, a: { files: [string, Uint8Array][]; zip: Uint8Array | null; uploadedBytes: number; opts: { name?: string; ownerId?: number | null } }) =>
    importLstmvisProject(db, memoryProject(a.zip ? unzipProject(a.zip) : a.files, a.uploadedBytes), a.opts),
} as const;

export type TaskName = keyof typeof TASKS;
export type TaskArgs<N extends TaskName> = Parameters<(typeof TASKS)[N]>[1];
export type TaskResult<N extends TaskName> = Awaited<ReturnType<(typeof TASKS)[N]>>;
