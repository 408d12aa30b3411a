import { z } from 'zod';

/**
 * A user's annotation track over a corpus: labelled spans of characters (a per-character label
 * is a span of one; a per-token label is the token's span), turned into one label index per
 * character. Positions are 0-based code-point offsets, end exclusive; spans may not overlap.
 *   {"name": "speaker", "spans": [{"start": 0, "end": 14, "label": "citizen"}, ...]}
 */
export const MAX_LABELS = 65535;

export const labelUploadSchema = z
  .object({
    name: z.string().trim().min(1, 'name the track').max(100),
    spans: z
      .array(
        z.object({
          start: z.number().int().min(0),
          end: z.number().int().min(1),
          label: z.string().min(1, 'labels may not be empty').max(64),
        }).strict(),
      )
      .min(1, 'give at least one span')
      .max(5_000_000),
  })
  .strict();

export type LabelUpload = z.infer<typeof labelUploadSchema>;

export interface LabelTrack {
  /** Label names; index 0 is '' (no label). */
  names: string[];
  /** Per character: index into names. */
  tags: Uint16Array;
}

/**
 * The per-character track of an upload over a corpus of `chars` characters; throws an Error
 * naming the first problem (a span outside the corpus or overlapping another, too many labels).
 */
export function buildLabelTrack(upload: LabelUpload, chars: number): LabelTrack {
  const names = [''];
  const index = new Map<string, number>();
  const tags = new Uint16Array(chars);
  const spans = [...upload.spans].sort((a, b) => a.start - b.start);
  let lastEnd = 0;
  for (const s of spans) {
    if (s.end <= s.start) throw new Error(`span [${s.start}, ${s.end}) is empty: end must be greater than start`);
    if (s.end > chars) throw new Error(`span [${s.start}, ${s.end}) ends past the corpus (${chars} characters)`);
    if (s.start < lastEnd) throw new Error(`span [${s.start}, ${s.end}) overlaps the span before it (which ends at ${lastEnd})`);
    let k = index.get(s.label);
    if (k === undefined) {
      if (names.length > MAX_LABELS) throw new Error(`more than ${MAX_LABELS} distinct labels`);
      k = names.length;
      names.push(s.label);
      index.set(s.label, k);
    }
    tags.fill(k, s.start, s.end);
    lastEnd = s.end;
  }
  return { names, tags };
}
