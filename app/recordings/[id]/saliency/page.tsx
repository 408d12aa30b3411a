import Link from 'next/link';
import { Permalink } from '@/components/permalink';
import { PermalinkCheck } from '@/components/permalink-check';
import { getRecording } from '@/lib/db/recordings.ts';
import { getRun } from '@/lib/db/runs.ts';
import { loadPageEntity } from '@/lib/http/load-page-entity.ts';
import { DEFAULT_SALIENCY_WINDOW, SALIENCY_WINDOWS } from '@/lib/saliency/saliency-limits.ts';
import { SaliencyExplorer } from '@/components/saliency-explorer';

export const dynamic = 'force-dynamic';

function intParam(raw: string | string[] | undefined): number | undefined {
  return typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

export default async function SaliencyPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { db, entity: rec } = await loadPageEntity(params, { kind: 'recording', load: getRecording });
  const run = await getRun(db, rec.runId);
  const sp = await searchParams;
  const window = SALIENCY_WINDOWS.includes(intParam(sp.window) ?? -1) ? (intParam(sp.window) as number) : DEFAULT_SALIENCY_WINDOW;
  const wanted = intParam(sp.pos) ?? rec.start + Math.min(rec.end - rec.start - 2, 2 * window);
  const pos = Math.max(rec.start, Math.min(rec.end - 1, wanted));
  // A character, or a word for a word-level recording (the API checks it against the vocabulary).
  const target = typeof sp.target === 'string' && (rec.unit === 'word' ? /^\S{1,64}$/.test(sp.target) : [...sp.target].length === 1) ? sp.target : '';
  const mode = sp.mode === 'gxi' ? 'gxi' : 'grad';
  return (
    <>
      <h1>Saliency · recording #{rec.id}</h1>
      <p className="muted small">
        <Link href={`/runs/${run.id}`}>{run.name}</Link> at step {rec.checkpointStep} · {rec.corpusName} characters {rec.start.toLocaleString('en-US')}–{rec.end.toLocaleString('en-US')} · <Link href={`/recordings/${rec.id}?offset=${Math.max(rec.start, pos - 200)}`}>neuron firing view</Link> · <Link href={`/recordings/${rec.id}/cells`}>cell finder</Link> · <Permalink run={rec.runId} checkpoint={rec.checkpointId} corpus={rec.corpusId} />
      </p>
      <PermalinkCheck params={sp} rec={rec} />
      <SaliencyExplorer recording={{ id: rec.id, start: rec.start, end: rec.end, unit: rec.unit, classes: run.config.classes ?? null }} initial={{ pos, window, target, mode, log: sp.log === '1' }} />
    </>
  );
}
