import { create } from 'zustand';

/**
 * The neuron-firing view's client state: what is selected (mirrored in the URL) and what was
 * loaded for it. One bound store from two slices; views subscribe through the selectors below.
 */
export interface NeuronSelection {
  layer: number;
  quantity: string;
  cell: number;
  /** More cells shown as heat strips under each line. */
  extraCells: number[];
  offset: number;
  length: number;
  showPredictions: boolean;
  /** Positions [start, end) of the last search hit, outlined in the text. */
  highlight: [number, number] | null;
  /** A structural feature (lib/corpus/feature-tracks.ts) drawn under the text, e.g. from the cell finder. */
  feature: string | null;
  /** The regular expression of the regex feature. */
  regex: string;
  /** Per-step traces of the selected cell's gates (same layer and index) under the text. */
  gates: boolean;
  /**
   * Colour an unbounded cell state by tanh(c) (what the output gate sees, and LSTMVis's default)
   * instead of c, so that a cell running far past ±1 stays readable on the diverging scale.
   */
  tanh: boolean;
  /**
   * An intervention on the shown cells of the shown quantity over the window (zero, mean,
   * value:V, scale:F; lib/causal/intervention-spec.ts), drawn as the change of ln p(true next)
   * under each line; null: none.
   */
  intervene: string | null;
}

export interface Prediction {
  chars: string[];
  probs: number[];
}

export interface NeuronData {
  start: number;
  chars: string[];
  /** Positions in the window where a sequence starts (a corpus of sequences; else none). */
  sequenceStarts: number[];
  /** Activation series per cell index, aligned with chars. */
  values: Map<number, number[]>;
  predictions: Prediction[];
  nextProb: (number | null)[];
  /** The feature under the window, scaled to [0, 1]; null when none is drawn. */
  featureValues: number[] | null;
  /** Gate traces of the selected cell: [quantity, values] in the cell's order. */
  gateValues: [string, number[]][];
  loading: boolean;
  error: string | null;
}

interface SelectionSlice extends NeuronSelection {
  setSelection: (patch: Partial<NeuronSelection>) => void;
  stepCell: (delta: number, hidden: number) => void;
  toggleExtraCell: (cell: number) => void;
}

interface DataSlice {
  data: NeuronData;
  setData: (patch: Partial<NeuronData>) => void;
}

export type NeuronViewState = SelectionSlice & DataSlice;

export const defaultSelection: NeuronSelection = {
  layer: 0,
  quantity: 'c',
  cell: 0,
  extraCells: [],
  offset: 0,
  length: 1000,
  showPredictions: true,
  highlight: null,
  feature: null,
  regex: '',
  gates: false,
  tanh: false,
  intervene: null,
};

const emptyData: NeuronData = { start: 0, chars: [], sequenceStarts: [], values: new Map(), predictions: [], nextProb: [], featureValues: null, gateValues: [], loading: false, error: null };

export const useNeuronView = create<NeuronViewState>()((set) => ({
  ...defaultSelection,
  setSelection: (patch) => set(patch),
  stepCell: (delta, hidden) => set((s) => ({ cell: (((s.cell + delta) % hidden) + hidden) % hidden })),
  toggleExtraCell: (cell) =>
    set((s) => ({ extraCells: s.extraCells.includes(cell) ? s.extraCells.filter((c) => c !== cell) : [...s.extraCells, cell].slice(0, 12) })),
  data: emptyData,
  setData: (patch) => set((s) => ({ data: { ...s.data, ...patch } })),
}));

/** Resets the store (tests, and opening another recording). */
export function resetNeuronView(selection: Partial<NeuronSelection> = {}): void {
  useNeuronView.setState({ ...defaultSelection, ...selection, data: emptyData });
}

export const selectSelection = (s: NeuronViewState): NeuronSelection => ({
  layer: s.layer, quantity: s.quantity, cell: s.cell, extraCells: s.extraCells, offset: s.offset, length: s.length,
  showPredictions: s.showPredictions, highlight: s.highlight, feature: s.feature, regex: s.regex, gates: s.gates, tanh: s.tanh,
  intervene: s.intervene,
});
export const selectData = (s: NeuronViewState): NeuronData => s.data;
