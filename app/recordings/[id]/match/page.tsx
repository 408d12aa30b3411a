import Link from 'next/link';
import { Permalink } from '@/components/permalink';
import { PermalinkCheck } from '@/components/permalink-check';
import { getRecording } from '@/lib/db/recordings.ts';
import { getRun } from '@/lib/db/runs.ts';
import { loadPageEntity } from '@/lib/http/load-page-entity.ts';
import { matchStateFromParams } from '@/lib/stores/match-url.ts';
import { describeRecordedLayers } from '@/lib/record/recorded-layers.ts';
import { MatchExplorer } from '@/components/match-explorer';

export const dynamic = 'force-dynamic';

export default async function MatchPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { db, entity: rec } = await loadPageEntity(params, { kind: 'recording', load: getRecording });
  const run = await getRun(db, rec.runId);
  const sp = new URLSearchParams();
  const linkParams = await searchParams;
  for (const [k, v] of Object.entries(linkParams)) if (typeof v === 'string') sp.set(k, v);
  const bounds = { id: rec.id, corpusId: rec.corpusId, start: rec.start, end: rec.end, stack: rec.stack, unit: rec.unit };
  return (
    <>
      <h1>Select &amp; match · recording #{rec.id}</h1>
      <p className="muted small">
        <Link href={`/runs/${run.id}`}>{run.name}</Link> at step {rec.checkpointStep} · {rec.corpusName} {rec.unit === 'word' ? 'words' : 'characters'} {rec.start.toLocaleString('en-US')}–{rec.end.toLocaleString('en-US')} · {describeRecordedLayers(rec.stack)} · <Link href={`/recordings/${rec.id}`}>neuron firing view</Link> · <Permalink run={rec.runId} checkpoint={rec.checkpointId} corpus={rec.corpusId} />
      </p>
      <PermalinkCheck params={linkParams} rec={rec} />
      {rec.status !== 'completed' ? (
        <section className="panel"><p>This recording is {rec.status}: select &amp; match open once it has finished.</p></section>
      ) : (
        <MatchExplorer recording={bounds} initial={matchStateFromParams(sp, bounds)} />
      )}
    </>
  );
}
