import type { Db } from '../db/client.ts';
import type { RecordingSummary } from '../db/recordings.ts';
import { BadRequestError } from '../errors.ts';
import { FEATURES, isBinaryFeature, type FeatureName } from '../corpus/feature-tracks.ts';
import { loadCellStat } from '../neurons/neuron-stats-store.ts';
import { readStateWindow } from '../record/window.ts';
import { recordingFeatureTrack } from '../search/recording-features.ts';
import type { Architecture } from '../../models/architectures.ts';
import type { CharModel } from '../../models/char-model.ts';
import { EDITABLE } from '../../models/fused/state-edit.ts';

/**
 * What an intervention is, as scripts and the HTTP API spell it (issue 13), parsed and checked
 * against the recording and its model: a layer, a quantity, cells, what they are set to
 * (`zero`, `mean`: the cell's mean over the recording, `value:V`, `scale:F`, `position:P`: the
 * value the cell had at corpus position P), and where (every step of the range, or the
 * positions where a binary feature or a regular expression holds).
 */
export type SetSpec = { kind: 'zero' } | { kind: 'mean' } | { kind: 'value'; value: number } | { kind: 'scale'; factor: number } | { kind: 'position'; pos: number };
export type WhereSpec = { kind: 'all' } | { kind: 'feature'; feature: FeatureName } | { kind: 'regex'; regex: string };

/** Constants and factors beyond this are refused: no cell of a trained model comes near. */
export const MAX_SET_MAGNITUDE = 10_000;

export interface InterventionInput {
  layer: number;
  quantity: string;
  cells: string | readonly number[];
  set: string;
  where?: string | undefined;
  start?: number | undefined;
  end?: number | undefined;
}

export interface ResolvedIntervention {
  layer: number;
  quantity: string;
  cells: number[];
  set: SetSpec;
  where: WhereSpec;
  start: number;
  end: number;
  /** Per chosen cell: value' = scale · value + shift. */
  scale: Float32Array;
  shift: Float32Array;
  /** Per position of [start, end): 1 where the intervention applies. */
  mask: Uint8Array;
}

export function parseSet(raw: string): SetSpec {
  const s = raw.trim();
  if (s === 'zero') return { kind: 'zero' };
  if (s === 'mean') return { kind: 'mean' };
  const m = /^(value|scale|position):(.+)$/.exec(s);
  if (!m) throw new BadRequestError(`set must be zero, mean, value:V, scale:F or position:P, got ${JSON.stringify(raw)}`, 'set');
  const n = Number(m[2]);
  if (m[1] === 'position') {
    if (!Number.isInteger(n) || n < 0) throw new BadRequestError(`set position:P needs a corpus position, got ${JSON.stringify(m[2])}`, 'set');
    return { kind: 'position', pos: n };
  }
  if (!Number.isFinite(n) || Math.abs(n) > MAX_SET_MAGNITUDE) throw new BadRequestError(`set ${m[1]}:V needs a finite number within ±${MAX_SET_MAGNITUDE}, got ${JSON.stringify(m[2])}`, 'set');
  return m[1] === 'value' ? { kind: 'value', value: n } : { kind: 'scale', factor: n };
}

export function parseWhere(raw: string | undefined): WhereSpec {
  if (raw === undefined || raw.trim() === '' || raw === 'all') return { kind: 'all' };
  if (raw.startsWith('regex:')) {
    const regex = raw.slice('regex:'.length);
    if (regex === '') throw new BadRequestError('where regex:RE needs a regular expression', 'where');
    return { kind: 'regex', regex };
  }
  if (raw.startsWith('feature:')) {
    const feature = raw.slice('feature:'.length) as FeatureName;
    const binary = FEATURES.filter((f) => isBinaryFeature(f) && f !== 'regex');
    if (!binary.includes(feature)) throw new BadRequestError(`where feature:F takes an on/off feature (${binary.join(', ')}), got ${JSON.stringify(feature)}`, 'where');
    return { kind: 'feature', feature };
  }
  throw new BadRequestError(`where must be all, feature:F or regex:RE, got ${JSON.stringify(raw)}`, 'where');
}

/** Cell indices from "12,40" or a list: integers of the layer, each once. */
export function parseCells(raw: string | readonly number[], units: number, layer: number): number[] {
  const parts = typeof raw === 'string' ? raw.split(',').map((s) => s.trim()).filter((s) => s !== '') : raw.map(String);
  if (parts.length === 0) throw new BadRequestError('cells must name at least one cell, e.g. 12,40', 'cells');
  const cells = parts.map((p) => {
    const n = Number(p);
    if (!Number.isInteger(n) || n < 0 || n >= units) throw new BadRequestError(`cells: ${JSON.stringify(p)} is not a cell of layer ${layer}, which has cells 0 to ${units - 1}`, 'cells');
    return n;
  });
  if (new Set(cells).size !== cells.length) throw new BadRequestError('cells: each cell may be named once', 'cells');
  return cells;
}

/** A corpus range inside the recording (default: all of it). */
export function parseRange(rec: RecordingSummary, start: number | undefined, end: number | undefined): { start: number; end: number } {
  const s = start ?? rec.start;
  const e = end ?? rec.end;
  for (const [name, v] of [['start', s], ['end', e]] as const) {
    if (!Number.isInteger(v)) throw new BadRequestError(`${name} must be an integer position`, name);
  }
  if (s < rec.start || e > rec.end || s >= e) throw new BadRequestError(`start..end must lie inside the recorded range ${rec.start}..${rec.end}, got ${s}..${e}`, s < rec.start || s >= e ? 'start' : 'end');
  return { start: s, end: e };
}

/** A layer of the model (its cell kind and size) and an editable quantity of it. */
export function checkLayerQuantity(layers: readonly { arch: string; units: number }[], layer: number, quantity: string): { units: number } {
  const l = Number.isInteger(layer) ? layers[layer] : undefined;
  if (!l) throw new BadRequestError(`layer must be one of 0..${layers.length - 1}, got ${layer}`, 'layer');
  const editable = EDITABLE[l.arch as Architecture] ?? [];
  if (!editable.includes(quantity)) throw new BadRequestError(`quantity must be one of ${editable.join(', ')} for layer ${layer} (${l.arch.toUpperCase()}), got ${JSON.stringify(quantity)}`, 'quantity');
  return { units: l.units };
}

/** A model's layers as checkLayerQuantity reads them. */
export function modelLayers(model: CharModel): { arch: string; units: number }[] {
  return model.layers.map((l) => ({ arch: l.spec.arch, units: l.spec.units }));
}

export async function resolveIntervention(db: Db, rec: RecordingSummary, model: CharModel, input: InterventionInput): Promise<ResolvedIntervention> {
  const { units } = checkLayerQuantity(modelLayers(model), input.layer, input.quantity);
  const cells = parseCells(input.cells, units, input.layer);
  const set = parseSet(input.set);
  const where = parseWhere(input.where);
  const { start, end } = parseRange(rec, input.start, input.end);
  const scale = new Float32Array(cells.length);
  const shift = new Float32Array(cells.length);
  const recorded = rec.stack[input.layer]?.quantities.includes(input.quantity) ?? false;
  if ((set.kind === 'mean' || set.kind === 'position') && !recorded) throw new BadRequestError(`set ${set.kind} reads the recorded ${input.quantity} of layer ${input.layer}, which this recording did not store`, 'set');
  if (set.kind === 'scale') scale.fill(set.factor);
  if (set.kind === 'value') shift.fill(set.value);
  if (set.kind === 'mean') for (const [k, cell] of cells.entries()) shift[k] = (await loadCellStat(db, rec, input.layer, input.quantity, cell)).mean;
  if (set.kind === 'position') {
    if (set.pos < rec.start || set.pos >= rec.end) throw new BadRequestError(`set position:P must be a recorded position, ${rec.start} to ${rec.end - 1}, got ${set.pos}`, 'set');
    shift.set((await readStateWindow(db.raw, rec, input.layer, input.quantity, set.pos, set.pos + 1, cells)).values);
  }
  const mask = new Uint8Array(end - start);
  if (where.kind === 'all') mask.fill(1);
  else {
    const track = await recordingFeatureTrack(db, rec, where.kind === 'feature' ? where.feature : 'regex', where.kind === 'regex' ? where.regex : undefined);
    for (let p = start; p < end; p++) mask[p - start] = (track[p - rec.start] ?? 0) > 0 ? 1 : 0;
  }
  return { layer: input.layer, quantity: input.quantity, cells, set, where, start, end, scale, shift, mask };
}

/** The spec as scripts spell it ("value:0.5", "feature:quote"). */
export function describeSet(set: SetSpec): string {
  return set.kind === 'value' ? `value:${set.value}` : set.kind === 'scale' ? `scale:${set.factor}` : set.kind === 'position' ? `position:${set.pos}` : set.kind;
}

export function describeWhere(where: WhereSpec): string {
  return where.kind === 'all' ? 'all' : where.kind === 'feature' ? `feature:${where.feature}` : `regex:${where.regex}`;
}
