'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ARCHITECTURES, ARCHITECTURE_LABELS, type Architecture } from '@/models/architectures.ts';
import { api, type ApiBody } from '@/lib/http/client.ts';

/** A run's training configuration as the form sends it (lib/train/config.ts checks it). */
type TrainConfigInput = NonNullable<ApiBody<'POST /api/runs'>['config']>;
type NumericKey = 'layers' | 'hidden' | 'steps' | 'batch' | 'seq' | 'learningRate' | 'clipNorm' | 'dropout' | 'checkpointEvery' | 'evalEvery';

const DROPOUT_KINDS = [
  ['feedforward', 'between layers (Zaremba)'],
  ['variational', 'variational, one mask per sequence (Gal)'],
  ['recurrent-update', 'on the cell update g / candidate n (Semeniuta)'],
  ['cell', 'on the cell state c (LSTM)'],
] as const;

interface Field {
  key: NumericKey;
  label: string;
  value: number;
  step?: number;
  min?: number;
  max?: number;
}

const FIELDS: Field[] = [
  { key: 'layers', label: 'Layers', value: 1, min: 1, max: 3 },
  { key: 'hidden', label: 'Hidden units', value: 128, min: 16, max: 1024 },
  { key: 'steps', label: 'Steps', value: 500, min: 1 },
  { key: 'batch', label: 'Batch', value: 32, min: 1, max: 256 },
  { key: 'seq', label: 'Sequence (BPTT)', value: 64, min: 2, max: 512 },
  { key: 'learningRate', label: 'Learning rate', value: 0.002, step: 0.0001 },
  { key: 'clipNorm', label: 'Clip norm', value: 5, step: 0.1 },
  { key: 'dropout', label: 'Dropout', value: 0, step: 0.05, min: 0, max: 0.9 },
  { key: 'checkpointEvery', label: 'Checkpoint every', value: 100, min: 1 },
  { key: 'evalEvery', label: 'Validate every', value: 50, min: 1 },
];

/** Starts a training run on a corpus (POST /api/runs) and opens its page. */
export function TrainForm({ corpusId }: { corpusId: number }) {
  const router = useRouter();
  const [values, setValues] = useState<Record<string, string>>(Object.fromEntries(FIELDS.map((f) => [f.key, String(f.value)])));
  const [arch, setArch] = useState<Architecture>('lstm');
  const [depth, setDepth] = useState('3');
  const [coupled, setCoupled] = useState(true);
  const [radius, setRadius] = useState('0.95');
  const [dropoutKind, setDropoutKind] = useState<NonNullable<TrainConfigInput['dropoutKind']>>('feedforward');
  const [norm, setNorm] = useState<NonNullable<TrainConfigInput['norm']>>('none');
  const [engine, setEngine] = useState<NonNullable<TrainConfigInput['engine']>>('fused');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (): Promise<void> => {
    setError(null);
    const config: TrainConfigInput = { arch, dropoutKind, engine };
    for (const f of FIELDS) {
      const n = Number(values[f.key]);
      if (values[f.key]?.trim() === '' || !Number.isFinite(n)) {
        setError(`${f.label} must be a number`);
        return;
      }
      config[f.key] = n;
    }
    if (arch === 'rhn') Object.assign(config, { depth: Number(depth), coupled });
    if (arch === 'esn') Object.assign(config, { spectralRadius: Number(radius) });
    if (arch === 'lstm') Object.assign(config, { norm });
    setBusy(true);
    try {
      const { runId } = await api('POST /api/runs', { body: { corpusId, config } });
      router.push(`/runs/${runId}`);
    } catch (err) {
      setBusy(false);
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="form-row">
        <label className="field">
          Architecture
          <select value={arch} name="arch" onChange={(e) => setArch(e.target.value as Architecture)} data-testid="train-arch">
            {ARCHITECTURES.map((a) => <option key={a} value={a}>{ARCHITECTURE_LABELS[a]}</option>)}
          </select>
        </label>
        {arch === 'rhn' && (
          <>
            <label className="field">
              Recurrence depth
              <input type="number" min={1} max={10} value={depth} onChange={(e) => setDepth(e.target.value)} data-testid="train-depth" />
            </label>
            <label className="field">
              Carry gate
              <select value={coupled ? 'coupled' : 'own'} onChange={(e) => setCoupled(e.target.value === 'coupled')}>
                <option value="coupled">coupled (c = 1 − t)</option>
                <option value="own">its own gate</option>
              </select>
            </label>
          </>
        )}
        {arch === 'lstm' && (
          <label className="field">
            Normalisation
            <select value={norm} onChange={(e) => setNorm(e.target.value as typeof norm)} data-testid="train-norm">
              <option value="none">none</option>
              <option value="layer">layer norm (Ba et al.)</option>
              <option value="batch">recurrent batch norm (Cooijmans et al.)</option>
            </select>
          </label>
        )}
        {arch === 'esn' && (
          <label className="field">
            Spectral radius
            <input type="number" step={0.05} min={0.05} max={2} value={radius} onChange={(e) => setRadius(e.target.value)} data-testid="train-radius" />
          </label>
        )}
        <label className="field">
          Dropout kind
          <select value={dropoutKind} onChange={(e) => setDropoutKind(e.target.value as typeof dropoutKind)} data-testid="train-dropout-kind">
            {DROPOUT_KINDS.map(([k, label]) => <option key={k} value={k}>{label}</option>)}
          </select>
        </label>
        <label className="field" title="The fused WebAssembly kernels cover LSTM, GRU and the simple RNNs without in-cell dropout or normalisation; other settings run on the TensorFlow.js cells either way.">
          Engine
          <select value={engine} onChange={(e) => setEngine(e.target.value as typeof engine)} data-testid="train-engine">
            <option value="fused">fused kernels (fast)</option>
            <option value="tfjs">TensorFlow.js cells (reference)</option>
          </select>
        </label>
        {FIELDS.map((f) => (
          <label className="field" key={f.key}>
            {f.label}
            <input
              type="number"
              name={f.key}
              data-testid={`train-${f.key}`}
              value={values[f.key]}
              step={f.step ?? 1}
              min={f.min}
              max={f.max}
              onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
            />
          </label>
        ))}
      </div>
      <button type="submit" disabled={busy} data-testid="start-training">Start training</button>
      {error && <p className="error" data-testid="train-error">{error}</p>}
    </form>
  );
}
