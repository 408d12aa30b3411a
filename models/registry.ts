import type { CellSpec } from './cell-spec.ts';
import type { Architecture } from './architectures.ts';
import { gruCell } from './gru.ts';
import { lstmCell } from './lstm.ts';
import { irnnCell, npRnnCell, rnnCell } from './simple-rnn.ts';

const CELLS: Record<Architecture, CellSpec> = {
  lstm: lstmCell,
  gru: gruCell,
  rnn: rnnCell,
  irnn: irnnCell,
  nprnn: npRnnCell,
};

export function cellFor(arch: Architecture): CellSpec {
  return CELLS[arch];
}
