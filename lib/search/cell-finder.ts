import type { Db } from '../db/client.ts';
import { getRecording, type RecordingSummary } from '../db/recordings.ts';
import { ConflictError } from '../errors.ts';
import { isBinaryFeature, type FeatureName } from '../corpus/feature-tracks.ts';
import { parseFeature, recordingFeatureTrack } from './recording-features.ts';
import { binaryScore, correlation } from './cell-ranking.ts';
import { forEachColumn } from './columns.ts';
import { indexedQuantities } from './track-store.ts';
import { ByteLru } from '../util/byte-lru.ts';

/**
 * The cell finder: every cell of every layer (h and c) of a recording ranked by how well it
 * tracks a structural feature of the text (lib/corpus/feature-tracks.ts): AUC for on/off
 * features (ranked by its distance from 0.5, so cells that switch off inside count too), Pearson
 * correlation for numeric ones (ranked by its size).
 */
export interface RankedCell {
  layer: number;
  quantity: string;
  index: number;
  /** AUC (binary features) or correlation (numeric ones). */
  score: number;
  threshold?: number;
  side?: 'above' | 'below';
  precision?: number;
  recall?: number;
}

export interface CellRanking {
  feature: FeatureName;
  measure: 'auc' | 'correlation';
  /** Characters of the recording inside the feature (binary) or its mean (numeric). */
  coverage: number;
  cells: RankedCell[];
  /** Set when the feature does not vary over the recording, so no cell can track it. */
  note?: string;
  /** Set when the recording's columns predate exact ones (c clamped): what to run to rebuild them. */
  approximate?: string;
}

export { parseFeature };

// A ranking reads every cell's column (a second for 1M steps × 128 columns) and does not change
// for a completed recording: the last few are kept, and a different limit is a slice of one.
const rankings = new ByteLru<string, Ranked>({ maxBytes: 64 * 1024 ** 2, sizeOf: (r) => 200 * r.all.length });

/** Drops a recording's cached rankings (after its index is rebuilt: cellscope reindex). */
export function forgetRankings(recordingId: number): void {
  rankings.deleteWhere((key) => key.startsWith(`${recordingId}:`));
}

export async function rankCells(db: Db, recordingId: number, q: { feature: string; regex?: string; limit?: number }): Promise<CellRanking> {
  const feature = parseFeature(q.feature);
  const rec = await getRecording(db, recordingId);
  if (rec.status !== 'completed') throw new ConflictError(`recording ${rec.id} is ${rec.status}: the cell finder needs a completed recording`);
  const key = `${rec.id}:${rec.createdAt.getTime()}:${feature}:${feature === 'regex' ? (q.regex ?? '') : ''}`;
  const ranked = rankings.get(key) ?? (await rankAll(db, rec, feature, q.regex));
  rankings.set(key, ranked);
  const { all, coverage, flat, first, approximate } = ranked;
  const binary = isBinaryFeature(feature);
  const T = rec.end - rec.start;
  return {
    feature,
    measure: binary ? 'auc' : 'correlation',
    coverage,
    cells: flat ? [] : all.slice(0, q.limit ?? 20),
    ...(flat ? { note: `the ${feature} feature is ${first} at every recorded character (${T}): nothing for a cell to track; record a range where it varies` } : {}),
    ...(approximate
      ? { approximate: `recording ${rec.id} was indexed before exact columns: its cell states are clamped at ±4, so cells beyond that rank lower than they should; run \`cellscope reindex --recording ${rec.id}\`` }
      : {}),
  };
}

interface Ranked {
  all: RankedCell[];
  coverage: number;
  flat: boolean;
  first: number;
  approximate: boolean;
}

async function rankAll(db: Db, rec: RecordingSummary, feature: FeatureName, regex: string | undefined): Promise<Ranked> {
  const track = await recordingFeatureTrack(db, rec, feature, regex);
  const T = rec.end - rec.start;
  const binary = isBinaryFeature(feature);
  const all: RankedCell[] = [];
  let approximate = false;
  for (const { index: layer, units, quantities } of rec.stack) {
    for (const quantity of indexedQuantities({ quantities })) {
      await forEachColumn(db, rec, layer, quantity, units, (c, column, old) => {
        approximate ||= old;
        if (binary) {
          const s = binaryScore(column, track);
          all.push({ layer, quantity, index: c, score: s.auc, threshold: s.threshold, side: s.side, precision: s.precision, recall: s.recall });
        } else {
          all.push({ layer, quantity, index: c, score: correlation(column, track) });
        }
      });
    }
  }
  const strength = (r: RankedCell): number => (binary ? Math.abs(r.score - 0.5) : Math.abs(r.score));
  all.sort((a, b) => strength(b) - strength(a) || a.layer - b.layer || a.index - b.index);
  const coverage = track.reduce((a, b) => a + b, 0) / Math.max(1, T);
  const flat = track.every((v) => v === track[0]);
  return { all, coverage, flat, first: track[0] ?? 0, approximate };
}
