import { DEFAULT_CELL_OPTIONS, hasDefaultActivations, type Architecture, type CellOptions } from './architectures.ts';
import type { CellSpec } from './cell-spec.ts';
import { esnCell } from './esn.ts';
import { gruCell, gruCellWith } from './gru.ts';
import { layerNormLstmCell, lstmCell, lstmCellWith } from './lstm.ts';
import { batchNormLstmCell } from './batch-norm-lstm.ts';
import { rhnCell } from './rhn.ts';
import { irnnCell, npRnnCell, rnnCell, simpleRnnCellWith } from './simple-rnn.ts';

/**
 * The cell implementation for an architecture (RHN and ESN take their options; imported models
 * may bring other activations or Keras's reset_after GRU).
 */
export function cellFor(arch: Architecture, options: CellOptions = DEFAULT_CELL_OPTIONS): CellSpec {
  const plain = hasDefaultActivations(options, arch);
  switch (arch) {
    case 'lstm':
      if (options.norm === 'layer') return layerNormLstmCell;
      if (options.norm === 'batch') return batchNormLstmCell(options);
      return plain ? lstmCell : lstmCellWith(options);
    case 'gru':
      return plain ? gruCell : gruCellWith(options);
    case 'rnn':
      return plain ? rnnCell : simpleRnnCellWith(rnnCell, options);
    case 'irnn':
      return plain ? irnnCell : simpleRnnCellWith(irnnCell, options);
    case 'nprnn':
      return plain ? npRnnCell : simpleRnnCellWith(npRnnCell, options);
    case 'rhn':
      return rhnCell(options);
    case 'esn':
      return esnCell(options);
  }
}
