import Link from 'next/link';
import { getCorpusSummary } from '@/lib/db/corpora.ts';
import { listJobs } from '@/lib/db/jobs.ts';
import { listRecordings } from '@/lib/db/recordings.ts';
import { getRun, listCheckpoints } from '@/lib/db/runs.ts';
import { listMetrics } from '@/lib/db/run-metrics.ts';
import { loadPageEntity } from '@/lib/http/load-page-entity.ts';
import { RunLive } from '@/components/run-live';
import { SamplePanel } from '@/components/sample-panel';
import { RecordPanel } from '@/components/record-panel';
import { ARCHITECTURE_LABELS, quantitiesFor } from '@/models/architectures.ts';
import { ownsItem, visibleWhere } from '@/lib/auth/access.ts';
import { OwnershipNote } from '@/components/ownership-note';
import { sharedMode } from '@/lib/auth/actor.ts';
import { configStack, runShapeLabel } from '@/lib/train/config.ts';

export const dynamic = 'force-dynamic';

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { db, id, entity: run, actor, canChange } = await loadPageEntity(params, { kind: 'run', load: getRun });
  const [checkpoints, recordings, jobs, corpus, metrics] = await Promise.all([listCheckpoints(db, id), listRecordings(db, { runId: id }, visibleWhere(actor, 'recording')), listJobs(db, { runId: id }, visibleWhere(actor, 'job')), getCorpusSummary(db, run.corpusId), listMetrics(db, id)]);
  const trainJob = jobs.find((j) => j.kind === 'train') ?? null;
  const c = run.config;
  return (
    <>
      <h1 data-testid="run-title">{run.name}</h1>
      <OwnershipNote shared={sharedMode()} canChange={canChange} resource="runs" id={run.id} owner={run.owner} visibility={run.visibility} />
      {c.source === 'lstmvis' ? (
        <section className="panel" data-testid="lstmvis-run">
          <p>
            An LSTMVis project imported with its states: there is no model here to train, record or sample. Explore its recording:{' '}
            {recordings.map((r) => <Link key={r.id} href={`/recordings/${r.id}`} style={{ marginRight: 8 }}>#{r.id} ({r.end.toLocaleString('en-US')} {corpus.unit === 'word' ? 'words' : 'characters'})</Link>)}
          </p>
        </section>
      ) : c.source === 'imported' ? (
        <>
          <p className="muted small">
            Run {run.id} · uploaded model reading corpus <Link href={`/corpora/${run.corpusId}`}>{run.corpusName}</Link> · {c.stack ? <span data-testid="run-stack">{runShapeLabel(c)}</span> : <>{ARCHITECTURE_LABELS[c.arch]} {c.layers}×{c.hidden}</>} · gates {c.recurrentActivation}{c.activation && c.activation !== 'tanh' ? ` · activation ${c.activation}` : ''}{c.resetAfter ? ' · reset_after' : ''} · its own vocabulary of {run.vocab?.length ?? 0} characters{c.classes ? <> · <span data-testid="run-classes">a classifier of {c.classes.length} classes: {c.classes.join(', ')}</span></> : null}
          </p>
          <section className="panel" data-testid="uploaded-model">
            {!c.classes && (
              <div className="stats">
                <div className="stat"><div className="v">{metrics[0]?.valBpc?.toFixed(3) ?? '–'}</div><div className="k">bits/char, validation text</div></div>
                <div className="stat"><div className="v">{metrics[0]?.trainBpc?.toFixed(3) ?? '–'}</div><div className="k">bits/char, training text</div></div>
              </div>
            )}
            <p className="small muted">Trained elsewhere and uploaded: it is not trained here. Record it below, then explore it like any run.</p>
          </section>
        </>
      ) : (
        <>
      <p className="muted small">
        Run {run.id} · corpus <Link href={`/corpora/${run.corpusId}`}>{run.corpusName}</Link> · {ARCHITECTURE_LABELS[c.arch]} {c.layers}×{c.hidden}{c.arch === 'rhn' ? ` (depth ${c.depth}, ${c.coupled ? 'coupled' : 'separate'} carry gate)` : ''}{c.arch === 'esn' ? ` (spectral radius ${c.spectralRadius})` : ''}{c.norm === 'layer' ? ' with layer norm' : c.norm === 'batch' ? ' with recurrent batch norm' : ''} · batch {c.batch} × seq {c.seq} · Adam lr {c.learningRate} · clip {c.clipNorm} · dropout {c.dropout}{c.dropout > 0 ? ` (${c.dropoutKind})` : ''}
      </p>
      <RunLive
        runId={run.id}
        canCancel={canChange}
        initialStatus={run.status}
        initialStep={run.step}
        totalSteps={c.steps}
        initialMetrics={metrics}
        initialJob={trainJob ? { id: trainJob.id, status: trainJob.status, progress: trainJob.progress, message: trainJob.message, error: trainJob.error } : null}
      />
        </>
      )}
      {c.source !== 'lstmvis' && (
        <>
      <div className="grid2">
        <section className="panel">
          <h2>Recordings</h2>
          <RecordPanel
            runId={run.id}
            canRecord={checkpoints.length > 0}
            corpusChars={corpus.chars}
            layers={configStack(c).map((l) => ({ units: l.units, quantities: [...quantitiesFor(l.arch, l.options)] }))}
            recordings={recordings.map((r) => {
              const job = jobs.find((j) => j.recordingId === r.id);
              return { id: r.id, checkpointStep: r.checkpointStep, corpusName: r.corpusName, start: r.start, end: r.end, quantities: r.quantities, status: r.status, jobId: job?.id ?? null, progress: job?.progress ?? 0, message: job?.message ?? '', canDelete: ownsItem(actor, r) };
            })}
          />
        </section>
        <section className="panel">
          <h2>Sample</h2>
          <SamplePanel runId={run.id} checkpoints={checkpoints.map((k) => ({ id: k.id, step: k.step }))} />
          {checkpoints.length > 0 && !c.classes && !configStack(c).some((l) => l.direction === 'backward') && (
            <p className="small" data-testid="run-analyses">Inside the model: <Link href={`/runs/${run.id}/patch`} data-testid="open-patch">state patching</Link> · <Link href={`/runs/${run.id}/dynamics`} data-testid="open-dynamics">dynamics (spectra)</Link></p>
          )}
        </section>
      </div>
      <section className="panel">
        <h2>Checkpoints</h2>
        {checkpoints.length === 0 ? <p className="muted">None yet.</p> : (
          <table data-testid="checkpoints-table">
            <thead><tr><th>Step</th><th className="num">Training loss (nats)</th><th className="num">Validation (bpc)</th><th>Saved</th></tr></thead>
            <tbody>
              {checkpoints.map((k) => (
                <tr key={k.id}><td>{k.step}</td><td className="num">{k.trainLoss.toFixed(4)}</td><td className="num">{k.valBpc?.toFixed(4) ?? '–'}</td><td className="small muted">{k.createdAt.toISOString().replace('T', ' ').slice(0, 19)}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
        </>
      )}
    </>
  );
}
