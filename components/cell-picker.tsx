'use client';
import { quantityLabel } from '@/models/architectures.ts';
import { useNeuronView } from '@/lib/stores/neuron-view-store.ts';

/** Layer, quantity (the recording's: c, h, i, f, o, g for an LSTM) and cell index; ‹ › and [ ] / j k step through cells. */
export function CellPicker({ layers, hidden, quantities }: { layers: number; hidden: number; quantities: string[] }) {
  const layer = useNeuronView((s) => s.layer);
  const quantity = useNeuronView((s) => s.quantity);
  const cell = useNeuronView((s) => s.cell);
  const extraCells = useNeuronView((s) => s.extraCells);
  const setSelection = useNeuronView((s) => s.setSelection);
  const stepCell = useNeuronView((s) => s.stepCell);
  const toggleExtraCell = useNeuronView((s) => s.toggleExtraCell);
  return (
    <>
      <label className="field">
        Layer
        <select value={layer} onChange={(e) => setSelection({ layer: Number(e.target.value) })} data-testid="pick-layer">
          {Array.from({ length: layers }, (_, l) => <option key={l} value={l}>{l}</option>)}
        </select>
      </label>
      <label className="field">
        Quantity
        <select value={quantity} onChange={(e) => setSelection({ quantity: e.target.value })} data-testid="pick-quantity">
          {quantities.map((q) => <option key={q} value={q}>{q} — {quantityLabel(q)}</option>)}
        </select>
      </label>
      <label className="field">
        Cell (0–{hidden - 1})
        <span style={{ display: 'flex', gap: 4 }}>
          <button type="button" className="secondary" onClick={() => stepCell(-1, hidden)} aria-label="previous cell">‹</button>
          <input
            type="number"
            min={0}
            max={hidden - 1}
            value={cell}
            data-testid="pick-cell"
            onChange={(e) => {
              const n = Number(e.target.value);
              if (Number.isInteger(n) && n >= 0 && n < hidden) setSelection({ cell: n });
            }}
          />
          <button type="button" className="secondary" onClick={() => stepCell(1, hidden)} aria-label="next cell">›</button>
        </span>
      </label>
      <button type="button" className="secondary" onClick={() => toggleExtraCell(cell)} data-testid="add-strip">
        {extraCells.includes(cell) ? 'Remove strip' : 'Add as strip'}
      </button>
      {extraCells.length > 0 && (
        <div className="cell-chips" title="extra cells shown as strips; click to remove">
          {extraCells.map((c) => <span key={c} className="chip" onClick={() => toggleExtraCell(c)}>#{c} ×</span>)}
        </div>
      )}
    </>
  );
}
