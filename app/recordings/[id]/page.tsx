import Link from 'next/link';
import { Permalink } from '@/components/permalink';
import { PermalinkCheck } from '@/components/permalink-check';
import { getRecording } from '@/lib/db/recordings.ts';
import { getRun } from '@/lib/db/runs.ts';
import { getCorpusSummary } from '@/lib/db/corpora.ts';
import { BIDIRECTIONAL_WINDOW } from '@/lib/record/quantities.ts';
import { loadPageEntity } from '@/lib/http/load-page-entity.ts';
import { selectionFromParams } from '@/lib/stores/neuron-url.ts';
import { describeRecordedLayers } from '@/lib/record/recorded-layers.ts';
import { NeuronView } from '@/components/views/neuron-view';
import { OwnershipNote } from '@/components/ownership-note';
import { sharedMode } from '@/lib/auth/actor.ts';
import { StatusBadge } from '@/components/ui/status-badge';

export const dynamic = 'force-dynamic';

export default async function RecordingPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { db, entity: rec, canChange } = await loadPageEntity(params, { kind: 'recording', load: getRecording });
  const run = await getRun(db, rec.runId);
  const sp = new URLSearchParams();
  const linkParams = await searchParams;
  for (const [k, v] of Object.entries(linkParams)) if (typeof v === 'string') sp.set(k, v);
  const initial = selectionFromParams(sp, rec);
  // A bidirectional model read each sequence whole, or a continuous text in fixed windows.
  const bidirectionalNote = rec.origin === 'lstmvis' || rec.predictions ? null
    : (await getCorpusSummary(db, rec.corpusId)).sequences !== null ? 'bidirectional: each sequence read whole; no predictions, no saliency'
      : `bidirectional: read in windows of ${BIDIRECTIONAL_WINDOW} characters, each on its own; no predictions, no saliency`;
  return (
    <>
      <h1>Neuron firing · recording #{rec.id}</h1>
      <OwnershipNote shared={sharedMode()} canChange={canChange} resource="recordings" id={rec.id} owner={rec.owner} visibility={rec.visibility} />
      <p className="muted small">
        <Link href={`/runs/${run.id}`}>{run.name}</Link> at step {rec.checkpointStep} · {rec.corpusName} {rec.unit === 'word' ? 'words' : 'characters'} {rec.start.toLocaleString('en-US')}–{rec.end.toLocaleString('en-US')} · <span data-testid="recording-layers">{describeRecordedLayers(rec.stack)}</span> · <StatusBadge status={rec.status} /> · <Link href={`/recordings/${rec.id}/match`} data-testid="open-match">select &amp; match</Link> · <Link href={`/recordings/${rec.id}/cells`} data-testid="open-cells">cell finder</Link>{rec.predictions && rec.origin !== 'lstmvis' && !run.config.classes ? <> · <Link href={`/recordings/${rec.id}/causal`} data-testid="open-causal">causal ranking</Link></> : null} {rec.origin === 'lstmvis' ? ' · imported from an LSTMVis project' : bidirectionalNote ? <> · <span data-testid="bidirectional-note">{bidirectionalNote}</span></> : <> · <Link href={`/recordings/${rec.id}/saliency`} data-testid="open-saliency">saliency</Link></>} · <Link href={`/recordings/${rec.id}/gates`} data-testid="open-gates">gate saturation</Link> · <Permalink run={rec.runId} checkpoint={rec.checkpointId} corpus={rec.corpusId} />
      </p>
      <PermalinkCheck params={linkParams} rec={rec} />
      {rec.status !== 'completed' ? (
        <section className="panel"><p>This recording is {rec.status}. Its states appear here once it has finished: follow it on the <Link href={`/runs/${run.id}`}>run page</Link>.</p></section>
      ) : (
        <NeuronView recording={{ id: rec.id, start: rec.start, end: rec.end, stack: rec.stack, unit: rec.unit, ...(rec.predictions ? {} : { noPredictions: rec.origin === 'lstmvis' ? 'imported states' : 'a bidirectional model has read the next character' }), classes: run.config.classes ?? null }} initial={initial} />
      )}
    </>
  );
}
