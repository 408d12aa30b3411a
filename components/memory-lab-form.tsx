'use client';
import { api } from '@/lib/http/client.ts';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ARCHITECTURES, ARCHITECTURE_SHORT, type Architecture } from '@/models/architectures.ts';

/** Parses "5, 10, 20" into whole numbers; null when any entry is not one. */
export function parseGapList(text: string): number[] | null {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0) return null;
  const nums = parts.map(Number);
  return nums.every((n) => Number.isInteger(n) && n >= 0) ? nums : null;
}

export function MemoryLabForm() {
  const router = useRouter();
  const [task, setTask] = useState<'copy' | 'adding'>('copy');
  const [archs, setArchs] = useState<Architecture[]>(['lstm', 'gru', 'irnn', 'nprnn']);
  const [gaps, setGaps] = useState('5, 10, 20');
  const [hidden, setHidden] = useState('128');
  const [steps, setSteps] = useState('4000');
  const [lr, setLr] = useState('0.002');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (): Promise<void> => {
    setError(null);
    const gapList = parseGapList(gaps);
    if (!gapList) return setError('Gaps must be whole numbers separated by commas');
    if (archs.length === 0) return setError('Pick at least one architecture');
    setBusy(true);
    try {
      const { labId } = await api('POST /api/labs', { body: { task, archs, gaps: gapList, hidden: Number(hidden), steps: Number(steps), learningRate: Number(lr) } });
      router.push(`/labs/${labId}`);
    } catch (err) {
      setBusy(false);
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form onSubmit={(e) => { e.preventDefault(); void submit(); }} data-testid="lab-form">
      <label className="field">
        Task
        <select value={task} onChange={(e) => setTask(e.target.value as 'copy' | 'adding')} data-testid="lab-task">
          <option value="copy">copy (gap T)</option>
          <option value="adding">adding (length T)</option>
        </select>
      </label>
      <fieldset className="field">
        <legend>Architectures</legend>
        {ARCHITECTURES.map((a) => (
          <label key={a} className="inline">
            <input type="checkbox" checked={archs.includes(a)} data-testid={`lab-arch-${a}`}
              onChange={(e) => setArchs(e.target.checked ? [...archs, a] : archs.filter((x) => x !== a))} /> {ARCHITECTURE_SHORT[a]}
          </label>
        ))}
      </fieldset>
      <label className="field">
        {task === 'copy' ? 'Gaps T' : 'Lengths T'}
        <input value={gaps} onChange={(e) => setGaps(e.target.value)} data-testid="lab-gaps" />
      </label>
      <label className="field">
        Hidden units
        <input type="number" min={16} max={512} value={hidden} onChange={(e) => setHidden(e.target.value)} data-testid="lab-hidden" />
      </label>
      <label className="field">
        Steps per run
        <input type="number" min={10} max={100000} value={steps} onChange={(e) => setSteps(e.target.value)} data-testid="lab-steps" />
      </label>
      <label className="field" title="Adam's step size for every run; ReLU RNNs (IRNN, np-RNN) may need a smaller one to stay stable">
        Learning rate
        <input type="number" step="any" min={0} max={1} value={lr} onChange={(e) => setLr(e.target.value)} data-testid="lab-lr" />
      </label>
      <button type="submit" disabled={busy} data-testid="lab-submit">{busy ? 'Creating…' : 'Create lab'}</button>
      {error && <p className="error" data-testid="lab-error">{error}</p>}
    </form>
  );
}
