'use client';
import { api, apiEvents } from '@/lib/http/client.ts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { ProgressBar } from './ui/progress-bar';
import { StatusBadge } from './ui/status-badge';
import { stateQuantities } from '@/models/architectures.ts';
import { recordingSize } from '@/lib/search/recording-size.ts';

export interface RecordingLite {
  id: number;
  checkpointStep: number;
  corpusName: string;
  start: number;
  end: number;
  /** The quantities it stores (only c and h for a states-only recording). */
  quantities: string[];
  status: string;
  jobId: number | null;
  progress: number;
  message: string;
  /** The viewer owns it (shared mode), so it offers deleting. */
  canDelete: boolean;
}

/** One recording's live status: a progress bar over the job's events until it finishes. */
function RecordingRow({ rec }: { rec: RecordingLite }) {
  const router = useRouter();
  const [status, setStatus] = useState(rec.status);
  const [progress, setProgress] = useState(rec.progress);
  const [message, setMessage] = useState(rec.message);
  const [actionError, setActionError] = useState<string | null>(null);
  const failed = (err: unknown): void => setActionError(err instanceof Error ? err.message : String(err));
  useEffect(() => {
    if (rec.jobId === null || (status !== 'running' && status !== 'queued')) return;
    return apiEvents('GET /api/jobs/{id}/events', { id: rec.jobId }, {
      onEvent: (job) => {
        setStatus(job.status);
        setProgress(job.progress);
        setMessage(job.message);
      },
      onEnd: (error) => {
        if (error) setMessage(error);
        router.refresh();
      },
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rec.jobId]);
  return (
    <tr data-testid={`recording-${rec.id}`}>
      <td>#{rec.id}</td>
      <td>step {rec.checkpointStep}</td>
      <td>
        {rec.corpusName}
        <div style={{ whiteSpace: 'nowrap' }}>[{rec.start.toLocaleString('en-US')}, {rec.end.toLocaleString('en-US')})</div>
        <div className="small muted" data-testid={`recording-quantities-${rec.id}`}>{rec.quantities.join(' ')}</div>
      </td>
      <td style={{ minWidth: 220 }}>
        <StatusBadge status={status} />
        {(status === 'running' || status === 'queued') && (
          <>
            <ProgressBar value={progress} label="recording progress" />
            {rec.jobId !== null && (
              <button className="danger" style={{ marginTop: 4, padding: '1px 8px', fontSize: 12 }} onClick={() => rec.jobId !== null && api('POST /api/jobs/{id}/cancel', { id: rec.jobId }).catch(failed)} data-testid={`cancel-recording-${rec.id}`}>
                Cancel
              </button>
            )}
          </>
        )}
        <div className="small muted">{message}</div>
        {actionError && <div className="error small" role="alert">{actionError}</div>}
      </td>
      <td>
        {status === 'completed' ? <Link href={`/recordings/${rec.id}`} data-testid={`open-recording-${rec.id}`}>open neuron view →</Link> : null}
        {rec.canDelete && status !== 'running' && status !== 'queued' && (
          <div>
            <button
              className="link small"
              data-testid={`delete-recording-${rec.id}`}
              onClick={() => {
                if (!window.confirm(`Delete recording #${rec.id} and everything stored with it (states, index, statistics, saliency)?`)) return;
                api('DELETE /api/recordings/{id}', { id: rec.id }).then(() => router.refresh(), failed);
              }}
            >
              delete
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}

function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)} MB`;
  return `${Math.max(1, Math.round(n / 1e3))} kB`;
}

/** Starts a recording of the latest checkpoint over the run's corpus, and lists recordings. */
export function RecordPanel({ runId, canRecord, recordings, corpusChars, layers }: {
  runId: number; canRecord: boolean; recordings: RecordingLite[]; corpusChars: number;
  /** The run's layers, each its cells and the quantities its cell records, for the storage estimate. */
  layers: { units: number; quantities: string[] }[];
}) {
  const router = useRouter();
  const [end, setEnd] = useState(String(corpusChars));
  const all = [...new Set(layers.flatMap((l) => l.quantities))];
  const states = stateQuantities(all);
  const others = all.filter((q) => !states.includes(q));
  const [withGates, setWithGates] = useState(true);
  const steps = Math.max(0, Math.min(corpusChars, Math.floor(Number(end)) || 0));
  const size = (quantities: string[]): string => formatBytes(recordingSize(steps, layers.map((l) => ({ units: l.units, quantities: l.quantities.filter((q) => quantities.includes(q)) }))).total);
  const [withSaliency, setWithSaliency] = useState(false);
  const [salStart, setSalStart] = useState('0');
  const [salEnd, setSalEnd] = useState(String(Math.min(corpusChars - 1, 10_000)));
  const [salWindow, setSalWindow] = useState('64');
  const [error, setError] = useState<string | null>(null);
  const record = async (): Promise<void> => {
    setError(null);
    const request = {
      runId, start: 0, end: Number(end),
      ...(withGates ? {} : { gates: false }),
      ...(withSaliency ? { saliency: { start: Number(salStart), end: Number(salEnd), window: Number(salWindow) } } : {}),
    };
    try {
      await api('POST /api/recordings', { body: request });
      router.refresh();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <div>
      <div className="form-row">
        <label className="field">Record characters [0, end)<input type="number" value={end} onChange={(e) => setEnd(e.target.value)} style={{ width: 130 }} data-testid="record-end" /></label>
        <button onClick={() => void record()} disabled={!canRecord} data-testid="record-button">Record latest checkpoint</button>
        {!canRecord && <span className="small muted">needs a checkpoint</span>}
      </div>
      {others.length > 0 && (
        <div className="form-row">
          <label className="small" style={{ display: 'flex', gap: 4, alignItems: 'center' }}>
            <input type="checkbox" checked={withGates} onChange={(e) => setWithGates(e.target.checked)} data-testid="record-gates" />
            store {others.join(', ')} too
          </label>
          <span className="small muted" data-testid="record-size">
            storage: about {withGates ? size(all) : size(states)} with the match index
            {withGates ? ` (${states.join(', ')} only: ${size(states)}; the gate views need the rest)` : ` (with ${others.join(', ')}: ${size(all)})`}
          </span>
        </div>
      )}
      <div className="form-row">
        <label className="small" style={{ display: 'flex', gap: 4, alignItems: 'center' }}>
          <input type="checkbox" checked={withSaliency} onChange={(e) => setWithSaliency(e.target.checked)} data-testid="record-saliency" />
          also store saliency for predictions
        </label>
        {withSaliency && (
          <>
            <label className="field">from<input type="number" value={salStart} onChange={(e) => setSalStart(e.target.value)} style={{ width: 110 }} data-testid="record-saliency-start" /></label>
            <label className="field">to<input type="number" value={salEnd} onChange={(e) => setSalEnd(e.target.value)} style={{ width: 110 }} data-testid="record-saliency-end" /></label>
            <label className="field">window<input type="number" value={salWindow} onChange={(e) => setSalWindow(e.target.value)} style={{ width: 70 }} data-testid="record-saliency-window" /></label>
            <span className="small muted">one backward pass per position: saliency pages over this range open instantly, and the decay plot averages every position</span>
          </>
        )}
      </div>
      {error && <p className="error" data-testid="record-error">{error}</p>}
      {recordings.length > 0 && (
        <table>
          <thead><tr><th>Recording</th><th>Checkpoint</th><th>Range</th><th>Status</th><th /></tr></thead>
          <tbody>{recordings.map((r) => <RecordingRow key={`${r.id}-${r.status}`} rec={r} />)}</tbody>
        </table>
      )}
    </div>
  );
}
