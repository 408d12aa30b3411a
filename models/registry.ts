import { DEFAULT_CELL_OPTIONS, type Architecture, type CellOptions } from './architectures.ts';
import type { CellSpec } from './cell-spec.ts';
import { esnCell } from './esn.ts';
import { gruCell } from './gru.ts';
import { layerNormLstmCell, lstmCell } from './lstm.ts';
import { batchNormLstmCell } from './batch-norm-lstm.ts';
import { rhnCell } from './rhn.ts';
import { irnnCell, npRnnCell, rnnCell } from './simple-rnn.ts';

/** The cell implementation for an architecture (RHN and ESN take their options). */
export function cellFor(arch: Architecture, options: CellOptions = DEFAULT_CELL_OPTIONS): CellSpec {
  switch (arch) {
    case 'lstm':
      return options.norm === 'layer' ? layerNormLstmCell : options.norm === 'batch' ? batchNormLstmCell(options) : lstmCell;
    case 'gru':
      return gruCell;
    case 'rnn':
      return rnnCell;
    case 'irnn':
      return irnnCell;
    case 'nprnn':
      return npRnnCell;
    case 'rhn':
      return rhnCell(options);
    case 'esn':
      return esnCell(options);
  }
}
