'use client';
import { useEffect, useState } from 'react';

const KINDS = ['zero', 'mean', 'value', 'scale'] as const;
type Kind = (typeof KINDS)[number];

function split(spec: string | null): { kind: Kind | 'none'; amount: string } {
  if (!spec) return { kind: 'none', amount: '' };
  const [kind, amount = ''] = spec.split(':');
  return { kind: (KINDS as readonly string[]).includes(kind ?? '') ? (kind as Kind) : 'none', amount };
}

/**
 * The neuron view's intervention form: what the shown cells are set to over the window (none,
 * zero, their mean, a constant, a factor); `onChange` gets the spec as the API spells it.
 */
export function InterventionControls({ value, cells, onChange, summary }: { value: string | null; cells: number; onChange: (spec: string | null) => void; summary: string | null }) {
  const [kind, setKind] = useState<Kind | 'none'>(split(value).kind);
  const [amount, setAmount] = useState(split(value).amount || '1');
  useEffect(() => {
    const s = split(value);
    setKind(s.kind);
    if (s.amount) setAmount(s.amount);
  }, [value]);
  const apply = (k: Kind | 'none', a: string): void => {
    if (k === 'none') return onChange(null);
    if (k === 'value' || k === 'scale') {
      const n = Number(a);
      if (a.trim() === '' || !Number.isFinite(n)) return;
      return onChange(`${k}:${n}`);
    }
    onChange(k);
  };
  return (
    <span className="field" data-testid="intervention-controls">
      <span>Intervene on {cells === 1 ? 'this cell' : `these ${cells} cells`}</span>
      <span style={{ display: 'flex', gap: 4 }}>
        <select value={kind} onChange={(e) => { const k = e.target.value as Kind | 'none'; setKind(k); apply(k, amount); }} data-testid="intervene-kind">
          <option value="none">none</option>
          <option value="zero">ablate (0)</option>
          <option value="mean">set to its mean</option>
          <option value="value">set to a value</option>
          <option value="scale">scale by</option>
        </select>
        {(kind === 'value' || kind === 'scale') && (
          <>
            <input value={amount} onChange={(e) => setAmount(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && apply(kind, amount)} style={{ width: 64 }} data-testid="intervene-amount" />
            <button type="button" className="secondary" onClick={() => apply(kind, amount)} data-testid="intervene-apply">Apply</button>
          </>
        )}
      </span>
      {summary && <span className="small muted" data-testid="intervene-summary">{summary}</span>}
    </span>
  );
}
