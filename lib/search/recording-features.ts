import type { Db } from '../db/client.ts';
import { loadCorpusTokens } from '../db/corpora.ts';
import type { RecordingSummary } from '../db/recordings.ts';
import { BadRequestError } from '../errors.ts';
import { decode } from '../corpus/vocab.ts';
import { featureTrack, FEATURES, isBinaryFeature, type FeatureName } from '../corpus/feature-tracks.ts';
import { ByteLru, corpusCacheBytes } from '../util/byte-lru.ts';

/**
 * Feature tracks (lib/corpus/feature-tracks.ts) over a recording's text, for the cell finder and
 * for drawing a feature under the text in the neuron view. A track is computed over the whole
 * recorded range (whether a character is inside a quote depends on everything before it), so
 * the last few are kept for the windows that follow.
 */
export function parseFeature(raw: string): FeatureName {
  if (!(FEATURES as readonly string[]).includes(raw)) throw new BadRequestError(`feature must be one of ${FEATURES.join(', ')}, got ${JSON.stringify(raw)}`, 'feature');
  return raw as FeatureName;
}

const cache = new ByteLru<string, Float32Array>({ maxBytes: corpusCacheBytes(), sizeOf: (t) => t.byteLength });

/** The feature's track over [rec.start, rec.end); index 0 is the recording's first position. */
export async function recordingFeatureTrack(db: Db, rec: RecordingSummary, feature: FeatureName, regex?: string): Promise<Float32Array> {
  const key = `${rec.id}:${feature}:${feature === 'regex' ? (regex ?? '') : ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const tokens = await loadCorpusTokens(db, rec.corpusId);
  if (tokens.unit === 'word') throw new BadRequestError('structural features (quotes, brackets, lines...) are defined on characters, and this recording\'s corpus is word-level', 'feature');
  const text = decode(tokens.ids.subarray(rec.start, rec.end), tokens.vocab);
  let track: Float32Array;
  try {
    track = featureTrack(text, feature, regex);
  } catch (err) {
    throw new BadRequestError(err instanceof Error ? err.message : String(err), feature === 'regex' ? 'regex' : 'feature');
  }
  cache.set(key, track);
  return track;
}

export interface FeatureWindow {
  feature: FeatureName;
  binary: boolean;
  start: number;
  /** The feature per position of the window. */
  values: number[];
  /** Largest value over the whole recording (numeric features are drawn relative to it). */
  max: number;
}

export async function recordingFeatureWindow(db: Db, rec: RecordingSummary, q: { feature: string; regex?: string; start: number; end: number }): Promise<FeatureWindow> {
  const feature = parseFeature(q.feature);
  if (feature === 'regex' && !q.regex) throw new BadRequestError('the regex feature needs a regular expression (regex)', 'regex');
  if (q.start < rec.start || q.end > rec.end || q.start >= q.end) throw new BadRequestError(`start..end must lie inside the recorded range ${rec.start}..${rec.end}, got ${q.start}..${q.end}`, 'start');
  const track = await recordingFeatureTrack(db, rec, feature, q.regex);
  let max = 0;
  for (const v of track) if (v > max) max = v;
  return { feature, binary: isBinaryFeature(feature), start: q.start, values: Array.from(track.subarray(q.start - rec.start, q.end - rec.start)), max };
}
