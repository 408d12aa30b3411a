import Link from 'next/link';
import { Permalink } from '@/components/permalink';
import { CausalRanking } from '@/components/causal-ranking';
import { listAnalyses } from '@/lib/db/analyses.ts';
import { getRecording } from '@/lib/db/recordings.ts';
import { getRun } from '@/lib/db/runs.ts';
import { loadPageEntity } from '@/lib/http/load-page-entity.ts';

export const dynamic = 'force-dynamic';

export default async function CausalPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { db, entity: rec } = await loadPageEntity(params, { kind: 'recording', load: getRecording });
  const run = await getRun(db, rec.runId);
  const sp = await searchParams;
  const asked = typeof sp.analysis === 'string' && /^\d+$/.test(sp.analysis) ? Number(sp.analysis) : null;
  const analyses = await listAnalyses(db, rec.id);
  const why = rec.status !== 'completed' ? `This recording is ${rec.status}: the causal ranking opens once it has finished.`
    : rec.origin === 'lstmvis' ? 'This recording was imported from an LSTMVis project: it has states but no model to ablate.'
      : !rec.predictions ? 'This model predicts nothing (bidirectional): there is no prediction to measure an ablation on.'
        : run.config.classes ? 'This model is a classifier: the causal ranking is measured on next-character predictions.' : null;
  return (
    <>
      <h1>Causal ranking · recording #{rec.id}</h1>
      <p className="muted small">
        <Link href={`/runs/${run.id}`}>{run.name}</Link> at step {rec.checkpointStep} · {rec.corpusName} characters {rec.start.toLocaleString('en-US')}–{rec.end.toLocaleString('en-US')} · <Link href={`/recordings/${rec.id}`}>neuron firing view</Link> · <Link href={`/recordings/${rec.id}/cells`}>cell finder</Link> · <Permalink run={rec.runId} checkpoint={rec.checkpointId} corpus={rec.corpusId} />
      </p>
      {why ? <section className="panel"><p>{why}</p></section> : (
        <CausalRanking
          key={asked ?? 'new'}
          recordingId={rec.id}
          layers={rec.stack.map((l) => ({ index: l.index, name: l.name, kind: l.kind, units: l.units }))}
          initialAnalysisId={asked !== null && analyses.some((a) => a.id === asked) ? asked : null}
        />
      )}
      {analyses.length > 0 && (
        <section className="panel">
          <h2>Earlier rankings</h2>
          <ul className="small" data-testid="causal-history">
            {analyses.map((a) => (
              <li key={a.id}>
                <Link href={`/recordings/${rec.id}/causal?analysis=${a.id}`}>#{a.id}</Link> · layer {String(a.params.layer)} {String(a.params.quantity ?? 'h')} · target {JSON.stringify(a.params.target)} · {a.status} · {a.createdAt.toISOString().slice(0, 16).replace('T', ' ')}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
