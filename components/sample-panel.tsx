'use client';
import { useState } from 'react';
import { api } from '@/lib/http/client.ts';

interface CheckpointLite {
  id: number;
  step: number;
}

/** Samples text from a chosen checkpoint at a temperature (POST /api/runs/:id/sample). */
export function SamplePanel({ runId, checkpoints }: { runId: number; checkpoints: CheckpointLite[] }) {
  const [chosen, setChosen] = useState<number | null>(null);
  // Checkpoints arrive while the run trains: default to the newest until the user picks one.
  const checkpointId = chosen !== null && checkpoints.some((c) => c.id === chosen) ? chosen : (checkpoints.at(-1)?.id ?? 0);
  const [temperature, setTemperature] = useState('0.8');
  const [length, setLength] = useState('400');
  const [prime, setPrime] = useState('');
  // An intervention held while the model writes (steer a cell on: does it keep writing inside quotes?).
  const [hold, setHold] = useState({ on: false, layer: '0', quantity: 'c', cells: '', set: 'value:1' });
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (checkpoints.length === 0) return <p className="muted">Samples appear once the first checkpoint is saved.</p>;
  const sample = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const held = hold.on ? { hold: { layer: Number(hold.layer), quantity: hold.quantity, cells: hold.cells, set: hold.set } } : {};
      const sampled = await api('POST /api/runs/{id}/sample', { id: runId, body: { checkpointId, temperature: Number(temperature), length: Number(length), ...(prime ? { prime } : {}), ...held } });
      setText(sampled.text);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <div className="form-row">
        <label className="field">
          Checkpoint
          <select value={checkpointId} onChange={(e) => setChosen(Number(e.target.value))} data-testid="sample-checkpoint">
            {checkpoints.map((c) => <option key={c.id} value={c.id}>step {c.step}</option>)}
          </select>
        </label>
        <label className="field">Temperature<input type="number" step="0.1" value={temperature} onChange={(e) => setTemperature(e.target.value)} data-testid="sample-temperature" /></label>
        <label className="field">Length<input type="number" value={length} onChange={(e) => setLength(e.target.value)} /></label>
        <label className="field">Prime text<input value={prime} onChange={(e) => setPrime(e.target.value)} placeholder="(newline)" /></label>
        <button onClick={() => void sample()} disabled={busy} data-testid="sample-button">{busy ? 'Sampling…' : 'Sample'}</button>
      </div>
      <div className="form-row small" data-testid="sample-hold">
        <label style={{ display: 'flex', gap: 4, alignItems: 'center' }}><input type="checkbox" checked={hold.on} onChange={(e) => setHold({ ...hold, on: e.target.checked })} data-testid="sample-hold-on" /> hold cells while writing:</label>
        <label className="field">Layer<input value={hold.layer} onChange={(e) => setHold({ ...hold, layer: e.target.value })} size={2} /></label>
        <label className="field">Quantity<input value={hold.quantity} onChange={(e) => setHold({ ...hold, quantity: e.target.value })} size={2} data-testid="sample-hold-quantity" /></label>
        <label className="field">Cells<input value={hold.cells} onChange={(e) => setHold({ ...hold, cells: e.target.value })} placeholder="12,40" size={8} data-testid="sample-hold-cells" /></label>
        <label className="field">Set<input value={hold.set} onChange={(e) => setHold({ ...hold, set: e.target.value })} placeholder="zero, value:V, scale:F" size={10} data-testid="sample-hold-set" /></label>
      </div>
      {error && <p className="error">{error}</p>}
      {text !== null && <pre className="sample" data-testid="sample-text">{prime}{text}</pre>}
    </div>
  );
}
