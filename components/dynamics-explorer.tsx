'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { api, type ApiResponse } from '@/lib/http/client.ts';
import { SpectrumPlot } from './views/spectrum-plot';
import { GradientFlowPanel, type ComparableRun } from './gradient-flow-panel';
import { JacobianPanel } from './jacobian-panel';
import { FixedPointPanel } from './fixed-point-panel';
import { DownloadButtons } from './ui/download-buttons';
import { FigureExport } from './ui/figure-export';

type Spectrum = ApiResponse<'GET /api/runs/{id}/spectrum'>;

/**
 * The dynamics of a run's checkpoint (issue 13): the gradient flow (with other runs to compare)
 * and each layer's recurrent spectrum with its Gershgorin discs, and a scrubber over the run's
 * checkpoints to watch them change in training. The checkpoint is in the URL (?checkpoint=ID).
 */
export function DynamicsExplorer({ runId, runLabel, checkpoints, initialCheckpoint, others, initialCompare }: { runId: number; runLabel: string; checkpoints: { id: number; step: number }[]; initialCheckpoint: number; others: ComparableRun[]; initialCompare: number[] }) {
  const router = useRouter();
  const [index, setIndex] = useState(Math.max(0, checkpoints.findIndex((c) => c.id === initialCheckpoint)));
  const [compare, setCompare] = useState(initialCompare);
  const [spectrum, setSpectrum] = useState<Spectrum | null>(null);
  const [error, setError] = useState<string | null>(null);
  const checkpoint = checkpoints[index];
  const checkpointId = checkpoint?.id;
  useEffect(() => {
    if (checkpointId === undefined) return;
    const abort = new AbortController();
    setError(null);
    api('GET /api/runs/{id}/spectrum', { id: runId, query: { checkpointId }, signal: abort.signal }).then(setSpectrum, (err: unknown) => !abort.signal.aborted && setError(err instanceof Error ? err.message : String(err)));
    return () => abort.abort();
  }, [checkpointId, runId]);
  // The URL holds the checkpoint and the runs compared, so a link reproduces the page.
  useEffect(() => {
    if (!checkpoint) return;
    router.replace(`/runs/${runId}/dynamics?checkpoint=${checkpoint.id}${compare.length ? `&compare=${compare.join(',')}` : ''}`, { scroll: false });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [checkpoint?.id, compare.join(','), runId]);
  const rows = spectrum?.layers.flatMap((l) => l.eigenvalues.map(([re, im]) => ({ layer: l.layer, matrix: l.matrix, re, im, modulus: Math.hypot(re, im) }))) ?? [];
  return (
    <>
      <section className="panel">
        <label className="field" style={{ maxWidth: 520 }}>
          Checkpoint: step {checkpoint?.step ?? '–'} ({index + 1} of {checkpoints.length})
          <input type="range" min={0} max={Math.max(0, checkpoints.length - 1)} value={index} onChange={(e) => setIndex(Number(e.target.value))} data-testid="checkpoint-scrubber" />
        </label>
        {error && <p className="error" data-testid="dynamics-error">{error}</p>}
      </section>
      {checkpoint && <GradientFlowPanel runId={runId} runLabel={runLabel} checkpointId={checkpoint.id} others={others} initialCompare={initialCompare} onCompare={setCompare} />}
      <section className="panel">
        <h2>Spectra of the recurrent matrices</h2>
        <p className="small muted">
          Eigenvalues λ of each layer&apos;s state-to-state matrix, the unit circle dashed: |λ| &gt; 1 (red) is a direction the matrix alone would amplify, |λ| &lt; 1 one it lets decay, which is how a product of Jacobians in backpropagation through time explodes or vanishes. The blue outlines are the Gershgorin discs (centre a_ii, radius Σ_{'{j≠i}'}|a_ij|), whose union holds every eigenvalue.
          {spectrum && <DownloadButtons name={`run${runId}-spectrum-step${spectrum.step}`} columns={['layer', 'matrix', 're', 'im', 'modulus']} rows={rows} json={spectrum} testid="spectrum-download" />}
        </p>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 24 }}>
          {spectrum?.layers.map((l) => (
            <div key={l.layer} data-testid="spectrum-layer">
              <p className="small" data-testid="spectrum-caption">Layer {l.layer} · {l.arch.toUpperCase()} · {l.description} · spectral radius {l.spectralRadius.toFixed(3)}</p>
              <FigureExport name={`run${runId}-spectrum-step${spectrum.step}-layer${l.layer}`} testid={`spectrum-figure-${l.layer}`}>
                <SpectrumPlot eigenvalues={l.eigenvalues} discs={l.discs} title={`layer ${l.layer} ${l.matrix} eigenvalues`} />
              </FigureExport>
            </div>
          ))}
        </div>
      </section>
      {checkpoint && spectrum && <JacobianPanel runId={runId} checkpointId={checkpoint.id} layers={spectrum.layers.length} />}
      {checkpoint && <FixedPointPanel runId={runId} checkpointId={checkpoint.id} />}
    </>
  );
}
