'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { MetricPoint } from '@/lib/train/trainer.ts';
import { api, apiEvents } from '@/lib/http/client.ts';
import { LossChart } from './views/loss-chart';
import { ProgressBar } from './ui/progress-bar';
import { StatusBadge } from './ui/status-badge';

interface JobLite {
  id: number;
  status: string;
  progress: number;
  message: string;
  error: string | null;
}

export interface RunLiveProps {
  /** The viewer owns the run (shared mode), so it offers cancelling. */
  canCancel: boolean;
  runId: number;
  initialStatus: string;
  initialStep: number;
  totalSteps: number;
  initialMetrics: MetricPoint[];
  initialJob: JobLite | null;
}

function fmtEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  return `${Math.round(seconds / 60)} min`;
}

/** Training progress, live over server-sent events: bar, figures, loss chart, cancel. */
export function RunLive(props: RunLiveProps) {
  const router = useRouter();
  const [status, setStatus] = useState(props.initialStatus);
  const [step, setStep] = useState(props.initialStep);
  const [metrics, setMetrics] = useState<MetricPoint[]>(props.initialMetrics);
  const [job, setJob] = useState<JobLite | null>(props.initialJob);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const live = status === 'running' || status === 'queued';

  useEffect(() => {
    if (!live) return;
    return apiEvents('GET /api/runs/{id}/events', { id: props.runId, query: { since: props.initialMetrics.length } }, {
      onEvent: (d) => {
        setStatus(d.status);
        setStep(d.step);
        setJob(d.job);
        if (d.metrics.length) setMetrics((m) => [...m, ...d.metrics]);
      },
      // Checkpoints and the record button come from the server page.
      onEnd: () => router.refresh(),
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.runId]);

  const last = metrics.at(-1);
  const lastVal = [...metrics].reverse().find((m) => m.valBpc !== undefined)?.valBpc;
  const perStepMs = last && last.step > 0 ? last.elapsedMs / last.step : NaN;
  const eta = live ? ((props.totalSteps - step) * perStepMs) / 1000 : NaN;
  const cancel = async (): Promise<void> => {
    await api('POST /api/runs/{id}/cancel', { id: props.runId }).catch((err: unknown) => setCancelError(err instanceof Error ? err.message : 'cancel failed'));
  };
  return (
    <section className="panel" data-testid="run-live">
      <div style={{ display: 'flex', alignItems: 'center', gap: 12, marginBottom: 8 }}>
        <StatusBadge status={status} />
        {live && props.canCancel && <button className="danger" onClick={() => void cancel()} data-testid="cancel-run">Cancel</button>}
        <span className="small muted" data-testid="job-message">{job?.message}</span>
      </div>
      <ProgressBar value={step / props.totalSteps} label="training progress" />
      <div className="stats">
        <div className="stat"><div className="v" data-testid="run-step">{step.toLocaleString('en-US')} / {props.totalSteps.toLocaleString('en-US')}</div><div className="k">step</div></div>
        <div className="stat"><div className="v">{last ? last.trainBpc.toFixed(3) : '–'}</div><div className="k">training loss (bpc)</div></div>
        <div className="stat"><div className="v" data-testid="val-bpc">{lastVal !== undefined ? lastVal.toFixed(3) : '–'}</div><div className="k">validation loss (bpc)</div></div>
        <div className="stat"><div className="v">{last ? Math.round(last.charsPerSec).toLocaleString('en-US') : '–'}</div><div className="k">chars / s</div></div>
        <div className="stat"><div className="v">{live ? fmtEta(eta) : '–'}</div><div className="k">ETA</div></div>
      </div>
      {job?.error && <p className="error">Training failed: {job.error}</p>}
      {cancelError && <p className="error">{cancelError}</p>}
      <LossChart metrics={metrics} totalSteps={props.totalSteps} />
    </section>
  );
}
