'use client';
import { quantityLabel } from '@/models/architectures.ts';
import { useNeuronView } from '@/lib/stores/neuron-view-store.ts';
import { layerBounds, selectionOnLayer, type RecordingBounds } from '@/lib/stores/neuron-url.ts';
import { layerOptionLabel } from '@/lib/record/recorded-layers.ts';

/**
 * Layer, quantity (the layer's: c, h, i, f, o, g for an LSTM, h z r n for a GRU) and cell index;
 * ‹ › and [ ] / j k step through cells. Layers may differ in cells and quantities.
 */
export function CellPicker({ recording }: { recording: RecordingBounds }) {
  const layer = useNeuronView((s) => s.layer);
  const quantity = useNeuronView((s) => s.quantity);
  const cell = useNeuronView((s) => s.cell);
  const extraCells = useNeuronView((s) => s.extraCells);
  const setSelection = useNeuronView((s) => s.setSelection);
  const stepCell = useNeuronView((s) => s.stepCell);
  const toggleExtraCell = useNeuronView((s) => s.toggleExtraCell);
  const { units: hidden, quantities } = layerBounds(recording, layer);
  return (
    <>
      <label className="field">
        Layer
        <select value={layer} onChange={(e) => setSelection(selectionOnLayer(recording, Number(e.target.value), { quantity, cell, extraCells }))} data-testid="pick-layer">
          {recording.stack.map((l, i) => <option key={i} value={i}>{layerOptionLabel(l, recording.stack)}</option>)}
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
