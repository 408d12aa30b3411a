/**
 * The architectures Cellscope trains and records, and the quantities each one records per layer,
 * with their labels. Plain data, importable from client components (models/registry.ts holds the
 * cell implementations, which need TensorFlow.js).
 */
export const ARCHITECTURES = ['lstm', 'gru', 'rnn', 'irnn', 'nprnn'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** Short names for tables and run names. */
export const ARCHITECTURE_SHORT: Record<Architecture, string> = { lstm: 'LSTM', gru: 'GRU', rnn: 'RNN', irnn: 'IRNN', nprnn: 'np-RNN' };

export const ARCHITECTURE_LABELS: Record<Architecture, string> = {
  lstm: 'LSTM',
  gru: 'GRU',
  rnn: 'RNN (tanh)',
  irnn: 'IRNN (ReLU, identity init)',
  nprnn: 'np-RNN (ReLU, positive-definite init)',
};

/** Recorded quantities per layer, in storage order (the cells in models/ produce exactly these). */
export const ARCHITECTURE_QUANTITIES: Record<Architecture, readonly string[]> = {
  lstm: ['c', 'h', 'i', 'f', 'o', 'g'],
  gru: ['h', 'z', 'r', 'n'],
  rnn: ['h', 'a'],
  irnn: ['h', 'a'],
  nprnn: ['h', 'a'],
};

export const QUANTITY_LABELS: Record<string, string> = {
  c: 'cell state c',
  h: 'hidden state h',
  i: 'input gate i',
  f: 'forget gate f',
  o: 'output gate o',
  g: 'cell update g',
  z: 'update gate z',
  r: 'reset gate r',
  n: 'candidate n',
  a: 'pre-activation a',
};

export function quantityLabel(q: string): string {
  return QUANTITY_LABELS[q] ?? q;
}
