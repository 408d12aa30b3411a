import type { Db } from '../db/client.ts';
import type { RecordingSummary } from '../db/recordings.ts';
import { decode, type Vocab } from '../corpus/vocab.ts';
import { featureTrack, FEATURES } from '../corpus/feature-tracks.ts';
import { readStateRows } from '../record/window.ts';
import { kernels } from '../../models/fused/kernels.ts';
import { CellStatsAccumulator, type FeatureInput } from '../neurons/cell-stats.ts';
import { clearCellStats, storeCellStats } from '../neurons/neuron-stats-store.ts';
import { clearRecordingTracks, indexedQuantities, storeTrackBlock, TRACK_BLOCK } from '../search/track-store.ts';
import { isGate } from '../../models/architectures.ts';

/**
 * What a finished recording keeps besides its states, built in one pass that reads every block
 * of every recorded quantity once: for h and c, the select & match index and the int8 columns
 * (lib/search/track-store.ts, columns.ts); for every quantity, the per-cell statistics of the
 * neuron pages and the gate saturation plot (lib/neurons/cell-stats.ts), with h and c also
 * correlated against every structural feature of the text.
 */
export async function indexRecording(
  db: Db,
  rec: RecordingSummary,
  text: { ids: Int32Array; vocab: Vocab; unit?: 'char' | 'word' },
  onProgress?: (fraction: number) => Promise<void> | void,
): Promise<void> {
  const T = rec.end - rec.start;
  const blocks = Math.ceil(T / TRACK_BLOCK);
  const ids = text.ids.subarray(rec.start, rec.end);
  // The regex feature needs a pattern: it is the cell finder's question, not a summary. The
  // structural features are defined on characters: a word corpus has none.
  const features: FeatureInput[] = text.unit === 'word' ? [] : FEATURES.filter((f) => f !== 'regex').map((name) => ({ name, track: featureTrack(decode(ids, text.vocab), name) }));
  await clearRecordingTracks(db, rec.id);
  await clearCellStats(db, rec.id);
  const total = rec.stack.reduce((a, l) => a + l.quantities.length, 0) * blocks;
  let done = 0;
  for (const { index: layer, units, quantities } of rec.stack) {
    const indexed = new Set(indexedQuantities({ quantities }));
    for (const quantity of quantities) {
      const stats = new CellStatsAccumulator(units, isGate(quantity), ids, text.vocab.chars, indexed.has(quantity) ? features : [], rec.start);
      try {
        for (let b = 0; b < blocks; b++) {
          const s = rec.start + b * TRACK_BLOCK;
          const e = Math.min(rec.end, s + TRACK_BLOCK);
          // Timestep-major as stored; the match index wants it cell-major.
          const rows = await readStateRows(db.raw, rec, layer, quantity, s, e);
          stats.addRows(rows.values, e - s, s - rec.start);
          if (indexed.has(quantity)) await storeTrackBlock(db, rec, layer, quantity, b, cellMajor(rows.values, e - s, units), e - s);
          done++;
          await onProgress?.(done / total);
        }
        await storeCellStats(db, rec, layer, quantity, stats.finish());
      } finally {
        stats.dispose();
      }
    }
  }
}

/** [len][H] -> [H][len], by the kernels' blocked transpose. */
function cellMajor(rows: Float32Array, len: number, H: number): Float32Array {
  const rt = kernels();
  const src = rt.upload(rows.subarray(0, len * H));
  const dst = rt.alloc(len * H * 4);
  try {
    rt.transpose(len, H, src, dst);
    return rt.download(dst, len * H);
  } finally {
    rt.release(src);
    rt.release(dst);
  }
}
