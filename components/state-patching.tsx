'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { api, type ApiResponse } from '@/lib/http/client.ts';
import { PatchHeatmap } from './views/patch-heatmap';
import { DownloadButtons } from './ui/download-buttons';
import { FigureExport } from './ui/figure-export';

type Result = ApiResponse<'POST /api/runs/{id}/patch'>;

export interface PatchQuery {
  clean: string;
  corrupt: string;
  target: string;
}

/**
 * State patching (issue 13): the form, the run on a compute thread, and its heatmap. The texts
 * and the target are the page's URL, so a link reproduces the figure.
 */
export function StatePatching({ runId, initial }: { runId: number; initial: PatchQuery | null }) {
  const router = useRouter();
  const [form, setForm] = useState<PatchQuery>(initial ?? { clean: 'he said "no and', corrupt: 'he said  no and', target: '"' });
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (q: PatchQuery): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api('POST /api/runs/{id}/patch', { id: runId, body: { ...q, target: q.target === '\\n' ? '\n' : q.target } }));
    } catch (err) {
      setResult(null);
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    if (initial) void run(initial);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const submit = (): void => {
    router.replace(`/runs/${runId}/patch?${new URLSearchParams({ ...form }).toString()}`, { scroll: false });
    void run(form);
  };
  const rows = result?.patches.flatMap((p) => p.restored.map((restored, step) => ({ layer: p.layer, quantity: p.quantity, step, clean: result.clean[step] ?? '', corrupt: result.corrupt[step] ?? '', p: p.p[step] ?? 0, restored }))) ?? [];
  return (
    <>
      <section className="panel">
        <form className="controls" onSubmit={(e) => { e.preventDefault(); submit(); }}>
          <label className="field">Clean text
            <input value={form.clean} onChange={(e) => setForm({ ...form, clean: e.target.value })} size={36} data-testid="patch-clean" />
          </label>
          <label className="field">Corrupted text (same length)
            <input value={form.corrupt} onChange={(e) => setForm({ ...form, corrupt: e.target.value })} size={36} data-testid="patch-corrupt" />
          </label>
          <label className="field">Target (\n: newline)
            <input value={form.target} onChange={(e) => setForm({ ...form, target: e.target.value })} size={3} data-testid="patch-target" />
          </label>
          <button type="submit" disabled={busy} data-testid="patch-run">{busy ? 'Patching…' : 'Patch every step'}</button>
        </form>
        <p className="small muted">Both texts are read from a zero state; the corrupted one is read again once per layer, state and step with that state copied from the clean run, and p(target) after the last character measured.</p>
        {error && <p className="error" data-testid="patch-error">{error}</p>}
      </section>
      {result && (
        <section className="panel">
          <p className="small muted" data-testid="patch-summary">
            p({JSON.stringify(result.target)}) after the clean text {result.pClean.toFixed(4)}, after the corrupted one {result.pCorrupt.toFixed(4)} · checkpoint at step {result.step} · {result.patches.length * result.clean.length} patched runs in {(result.tookMs / 1000).toFixed(1)} s. Hover a square for its numbers.
            <DownloadButtons name={`run${runId}-patching`} columns={['layer', 'quantity', 'step', 'clean', 'corrupt', 'p', 'restored']} rows={rows} json={result} testid="patch-download" />
          </p>
          <div style={{ overflowX: 'auto' }}>
            <FigureExport name={`run${runId}-patching`} testid="patch-figure">
              <PatchHeatmap clean={result.clean} corrupt={result.corrupt} rows={result.patches} target={result.target} />
            </FigureExport>
          </div>
        </section>
      )}
    </>
  );
}
