import Link from 'next/link';
import { Permalink } from '@/components/permalink';
import { PermalinkCheck } from '@/components/permalink-check';
import { getRecording } from '@/lib/db/recordings.ts';
import { getRun } from '@/lib/db/runs.ts';
import { loadPageEntity } from '@/lib/http/load-page-entity.ts';
import { GateSaturationView } from '@/components/gate-saturation';
import { isGate } from '@/models/architectures.ts';
import { layerQuantities } from '@/lib/train/config.ts';

export const dynamic = 'force-dynamic';

export default async function GatesPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { db, entity: rec } = await loadPageEntity(params, { kind: 'recording', load: getRecording });
  const run = await getRun(db, rec.runId);
  const linkParams = await searchParams;
  // Why there is nothing to plot: the architecture has no gates, or this recording left them out.
  const noGates = rec.origin === 'lstmvis'
    ? 'An imported LSTMVis project holds states only, no gate values.'
    : layerQuantities(run.config).some((qs) => qs.some(isGate))
      ? `This recording stores only the states (${rec.quantities.join(', ')}), not the gates. Record the run again with gates to see their saturation.`
      : 'This architecture records no gates.';
  return (
    <>
      <h1>Gate saturation · recording #{rec.id}</h1>
      <p className="muted small">
        <Link href={`/runs/${run.id}`}>{run.name}</Link> at step {rec.checkpointStep} · {rec.corpusName} characters {rec.start.toLocaleString('en-US')}–{rec.end.toLocaleString('en-US')} · <Link href={`/recordings/${rec.id}`}>neuron firing view</Link> · <Link href={`/recordings/${rec.id}/cells`}>cell finder</Link> · <Permalink run={rec.runId} checkpoint={rec.checkpointId} corpus={rec.corpusId} />
      </p>
      <PermalinkCheck params={linkParams} rec={rec} />
      {rec.status !== 'completed' ? <section className="panel"><p>This recording is {rec.status}: the gate plot opens once it has finished.</p></section> : <GateSaturationView recordingId={rec.id} hasHidden={rec.quantities.includes('h')} noGates={noGates} />}
    </>
  );
}
