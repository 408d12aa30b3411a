/**
 * When a permalink names a run, checkpoint or corpus other than the recording's own (a link made
 * against another database), says so instead of silently showing other data.
 */
export function PermalinkCheck({ params, rec }: { params: Record<string, string | string[] | undefined>; rec: { runId: number; checkpointId: number; corpusId: number; id: number } }) {
  const wanted = { run: rec.runId, checkpoint: rec.checkpointId, corpus: rec.corpusId };
  const off = (Object.keys(wanted) as (keyof typeof wanted)[]).filter((k) => typeof params[k] === 'string' && params[k] !== String(wanted[k]));
  if (off.length === 0) return null;
  return (
    <p className="error" data-testid="permalink-mismatch">
      This link was made for {off.map((k) => `${k} ${String(params[k])}`).join(', ')}, but recording #{rec.id} here belongs to {off.map((k) => `${k} ${wanted[k]}`).join(', ')}: it may show other data than the link&apos;s author saw.
    </p>
  );
}
