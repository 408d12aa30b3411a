// The fused recurrent kernels, compiled to one WebAssembly module by scripts/build-kernels.mjs.
export { gemm, gemmPacked, packB, transpose } from './gemm';
export { gatherRowsAddBias, fillRows, scatterAddRows, columnSums } from './rows';
export { lstmForward, lstmBackward } from './lstm';
export { gruForward, gruBackward } from './gru';
export { rnnForward, rnnBackward } from './rnn';
export { encodeF16Block } from "./f16";
export { softmaxTopK, softmaxXent } from "./predict";
export { rhnForward, rhnBackward } from "./rhn";
export { scoreRanges } from "./ranges";
export { thresholdWords } from "./threshold";
export { correlate } from "./correlate";
export { cellStatsRows } from "./stats";
