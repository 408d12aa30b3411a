import Link from 'next/link';
import { getRecording } from '@/lib/db/recordings.ts';
import { getRun } from '@/lib/db/runs.ts';
import { loadPageEntity } from '@/lib/http/load-page-entity.ts';
import { CellFinder } from '@/components/cell-finder';

export const dynamic = 'force-dynamic';

export default async function CellFinderPage({ params }: { params: Promise<{ id: string }> }) {
  const { db, entity: rec } = await loadPageEntity(params, getRecording);
  const run = await getRun(db, rec.runId);
  return (
    <>
      <h1>Cell finder · recording #{rec.id}</h1>
      <p className="muted small">
        <Link href={`/runs/${run.id}`}>{run.name}</Link> at step {rec.checkpointStep} · {rec.corpusName} characters {rec.start.toLocaleString('en-US')}–{rec.end.toLocaleString('en-US')} · <Link href={`/recordings/${rec.id}`}>neuron firing view</Link> · <Link href={`/recordings/${rec.id}/match`}>select &amp; match</Link>
      </p>
      {rec.status !== 'completed' ? <section className="panel"><p>This recording is {rec.status}: the cell finder opens once it has finished.</p></section> : <CellFinder recordingId={rec.id} />}
    </>
  );
}
