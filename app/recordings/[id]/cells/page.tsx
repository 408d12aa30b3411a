import Link from 'next/link';
import { Permalink } from '@/components/permalink';
import { PermalinkCheck } from '@/components/permalink-check';
import { getRecording } from '@/lib/db/recordings.ts';
import { getRun } from '@/lib/db/runs.ts';
import { loadPageEntity } from '@/lib/http/load-page-entity.ts';
import { CellFinder } from '@/components/cell-finder';

export const dynamic = 'force-dynamic';

export default async function CellFinderPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { db, entity: rec } = await loadPageEntity(params, { kind: 'recording', load: getRecording });
  const run = await getRun(db, rec.runId);
  const linkParams = await searchParams;
  return (
    <>
      <h1>Cell finder · recording #{rec.id}</h1>
      <p className="muted small">
        <Link href={`/runs/${run.id}`}>{run.name}</Link> at step {rec.checkpointStep} · {rec.corpusName} characters {rec.start.toLocaleString('en-US')}–{rec.end.toLocaleString('en-US')} · <Link href={`/recordings/${rec.id}`}>neuron firing view</Link> · <Link href={`/recordings/${rec.id}/match`}>select &amp; match</Link> · <Permalink run={rec.runId} checkpoint={rec.checkpointId} corpus={rec.corpusId} />
      </p>
      <PermalinkCheck params={linkParams} rec={rec} />
      {rec.status !== 'completed' ? <section className="panel"><p>This recording is {rec.status}: the cell finder opens once it has finished.</p></section> : <CellFinder recordingId={rec.id} />}
    </>
  );
}
