/**
 * Truncated-BPTT batches over a token sequence. The sequence is cut into `batch` contiguous
 * streams; step k feeds each stream's next `seq` characters, so the recurrent state carried from
 * step k-1 belongs to the text just before. At the end of the streams the cursor wraps to the
 * start and the state must be reset (`wrapped`).
 */
export interface TbpttBatch {
  /** inputs[t] holds stream b's input at time t at index b: [seq][batch]. */
  inputs: Int32Array[];
  /** targets[t*batch + b]: the next character, [seq * batch]. */
  targets: Int32Array;
  /** True when this batch starts a new pass over the data (reset the state first). */
  wrapped: boolean;
}

export class TbpttBatcher {
  readonly streamLength: number;
  private cursor = 0;

  constructor(
    private readonly ids: Int32Array,
    readonly batch: number,
    readonly seq: number,
  ) {
    this.streamLength = Math.floor((ids.length - 1) / batch);
    if (this.streamLength < seq) {
      throw new Error(
        `training split of ${ids.length} characters is too short for batch ${batch} x seq ${seq}: ` +
          `need at least ${batch * seq + 1}`,
      );
    }
  }

  /** Position within each stream (restored when a run resumes). */
  get position(): number {
    return this.cursor;
  }

  set position(p: number) {
    this.cursor = p % (this.streamLength - this.seq + 1);
  }

  next(): TbpttBatch {
    let wrapped = this.cursor === 0;
    if (this.cursor + this.seq > this.streamLength) {
      this.cursor = 0;
      wrapped = true;
    }
    const { batch, seq, ids, streamLength } = this;
    const inputs: Int32Array[] = [];
    const targets = new Int32Array(seq * batch);
    for (let t = 0; t < seq; t++) {
      const row = new Int32Array(batch);
      for (let b = 0; b < batch; b++) {
        const at = b * streamLength + this.cursor + t;
        row[b] = ids[at] ?? 0;
        targets[t * batch + b] = ids[at + 1] ?? 0;
      }
      inputs.push(row);
    }
    this.cursor += seq;
    return { inputs, targets, wrapped };
  }
}
