import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { projectRoot } from '../../lib/util/project-root.ts';

/**
 * The fused kernels' runtime: one WebAssembly module (models/fused/assembly, built by
 * scripts/build-kernels.mjs) on one shared memory, run by this thread and helper threads
 * (kernel-thread.cjs) that each take a slice of the work. Buffers are allocated from the memory
 * with a first-fit free list; all sizes and addresses are in bytes.
 *
 * Threads: CELLSCOPE_THREADS, else the machine's available parallelism (capped at 8).
 * Fused multiply-add: the relaxed-SIMD build when this V8 accepts it (Node 20 needs a flag, set
 * here), else the plain SIMD build; CELLSCOPE_RELAXED_SIMD=0 forces the plain one.
 */

/** The module's exports, every argument an i32 (sizes, strides in floats, byte addresses). */
const OPS = ['gemm', 'gemmPacked', 'packB', 'transpose', 'gatherRowsAddBias', 'fillRows', 'scatterAddRows', 'columnSums', 'lstmForward', 'lstmBackward', 'gruForward', 'gruBackward', 'rnnForward', 'rnnBackward', 'encodeF16Block', 'softmaxTopK', 'softmaxXent', 'rhnForward', 'rhnBackward', 'scoreRanges', 'thresholdWords', 'correlate', 'cellStatsRows'] as const;
export type KernelOp = (typeof OPS)[number];
type KernelFn = (...args: number[]) => void;

const PAGE = 65536;
const ALIGN = 64;
const HEAP_START = PAGE; // the module keeps no data of its own; the first page stays unused
// A helper thread's control block: seq, done, op, argument count, then up to 28 arguments.
const CONTROL_INTS = 32;
// How long the caller spins on a helper's result before sleeping on it (a wake-up costs ~25 us).
const SPIN_MS = 0.2;

export class KernelRuntime {
  readonly threads: number;
  private readonly memory: WebAssembly.Memory;
  private readonly fns: Record<KernelOp, KernelFn>;
  private readonly workers: { worker: Worker; ctl: Int32Array }[] = [];
  private seq = 0;
  private free: { at: number; size: number }[] = [];
  private sizes = new Map<number, number>();
  private top = HEAP_START;

  constructor(module: WebAssembly.Module, threads: number, readonly variant: 'simd' | 'relaxed-simd' = 'simd') {
    this.memory = new WebAssembly.Memory({ initial: 32, maximum: 65536, shared: true });
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory, abort: () => { throw new Error('kernel abort'); } } });
    this.fns = Object.fromEntries(OPS.map((op) => [op, instance.exports[op] as KernelFn])) as Record<KernelOp, KernelFn>;
    this.threads = threads;
    for (let w = 1; w < threads; w++) {
      const control = this.alloc(CONTROL_INTS * 4);
      const ctl = new Int32Array(this.memory.buffer, control, CONTROL_INTS);
      // From source text: bundlers (Next.js) rewrite worker file paths into their own module map.
      const worker = new Worker(threadSource(), { eval: true, workerData: { module, memory: this.memory, control, ops: OPS } });
      worker.unref();
      this.workers.push({ worker, ctl });
    }
  }

  /** A float32 view of the whole memory (views go stale when it grows: take a fresh one). */
  f32(): Float32Array {
    return new Float32Array(this.memory.buffer);
  }

  i32(): Int32Array {
    return new Int32Array(this.memory.buffer);
  }

  alloc(bytes: number): number {
    const size = Math.ceil(Math.max(bytes, 1) / ALIGN) * ALIGN;
    const idx = this.free.findIndex((b) => b.size >= size);
    let at: number;
    if (idx >= 0) {
      const block = this.free[idx] as { at: number; size: number };
      at = block.at;
      if (block.size === size) this.free.splice(idx, 1);
      else {
        block.at += size;
        block.size -= size;
      }
    } else {
      at = this.top;
      this.top += size;
      const need = this.top - this.memory.buffer.byteLength;
      if (need > 0) this.memory.grow(Math.ceil(need / PAGE));
    }
    this.sizes.set(at, size);
    return at;
  }

  /** Returns a block; neighbouring free blocks merge, and a free block at the top lowers it. */
  release(at: number): void {
    const size = this.sizes.get(at);
    if (size === undefined) throw new Error(`kernel memory: ${at} is not an allocated block`);
    this.sizes.delete(at);
    this.free.push({ at, size });
    this.free.sort((a, b) => a.at - b.at);
    const merged: { at: number; size: number }[] = [];
    for (const b of this.free) {
      const last = merged[merged.length - 1];
      if (last && last.at + last.size === b.at) last.size += b.size;
      else merged.push({ ...b });
    }
    const last = merged[merged.length - 1];
    if (last && last.at + last.size === this.top) {
      this.top = last.at;
      merged.pop();
    }
    this.free = merged;
  }

  /** Bytes currently allocated (tests check that nothing leaks). */
  allocatedBytes(): number {
    let n = 0;
    for (const s of this.sizes.values()) n += s;
    return n;
  }

  /** Copies floats into a new block. */
  upload(data: Float32Array | Int32Array | Uint32Array): number {
    const at = this.alloc(data.length * 4);
    if (data instanceof Float32Array) this.f32().set(data, at / 4);
    else if (data instanceof Int32Array) this.i32().set(data, at / 4);
    else new Uint32Array(this.memory.buffer, at, data.length).set(data);
    return at;
  }

  /** A copy of `count` floats at `at`. */
  download(at: number, count: number): Float32Array<ArrayBuffer> {
    const out = new Float32Array(count);
    out.set(this.f32().subarray(at / 4, at / 4 + count));
    return out;
  }

  /**
   * A lasting u32 view of `count` words at `at`: the memory is shared, so growing it never moves
   * or detaches what a view already covers.
   */
  u32(at: number, count: number): Uint32Array {
    return new Uint32Array(this.memory.buffer, at, count);
  }

  /** A view (not a copy) of `count` bytes at `at`; stale once memory grows. */
  bytes(at: number, count: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, at, count);
  }

  zero(at: number, bytes: number): void {
    new Uint8Array(this.memory.buffer, at, bytes).fill(0);
  }

  /** Runs one op on this thread. */
  call(op: KernelOp, ...args: number[]): void {
    this.fns[op](...args);
  }

  /**
   * Runs `op` once per argument list at the same time: the first list on this thread, the others
   * on helper threads; returns when all are done. At most `threads` lists.
   */
  parallel(op: KernelOp, argLists: number[][]): void {
    if (argLists.length > this.threads) throw new Error(`kernel: ${argLists.length} parts for ${this.threads} threads`);
    if (argLists.some((a) => a.length > CONTROL_INTS - 4)) throw new Error(`kernel ${op}: too many arguments`);
    const opIndex = OPS.indexOf(op);
    const seq = ++this.seq;
    const started: Int32Array[] = [];
    argLists.slice(1).forEach((args, w) => {
      const { ctl } = this.workers[w] as { ctl: Int32Array };
      ctl[2] = opIndex;
      ctl[3] = args.length;
      ctl.set(args.map((a) => a | 0), 4);
      Atomics.store(ctl, 0, seq);
      Atomics.notify(ctl, 0);
      started.push(ctl);
    });
    let failure: unknown;
    try {
      if (argLists[0]) this.fns[op](...argLists[0]);
    } catch (err) {
      failure = err;
    }
    for (const ctl of started) {
      // Spin a little before sleeping: parts usually finish close together.
      const until = performance.now() + SPIN_MS;
      for (;;) {
        const done = Atomics.load(ctl, 1);
        if (done === seq || done === -seq) {
          if (done === -seq) failure ??= new Error(`kernel ${op} failed on a helper thread`);
          break;
        }
        if (performance.now() < until) continue;
        Atomics.wait(ctl, 1, done);
      }
    }
    if (failure) throw failure;
  }

  /**
   * C[M, N] (+)= A · B split over rows of C (see assembly/gemm.ts for the strides). B is packed
   * first when N is a multiple of 8 and there are enough rows to repay the copy.
   */
  gemm(m: number, n: number, k: number, a: number, ars: number, acs: number, b: number, ldb: number, c: number, ldc: number, accumulate: boolean): void {
    const parts = splitRows(m, this.threads, 4);
    if (n % 8 === 0 && m >= 16) {
      const bp = this.packB(k, n, b, ldb);
      this.parallel('gemmPacked', parts.map(([r0, r1]) => [r1 - r0, n, k, a + r0 * ars * 4, ars, acs, bp, c + r0 * ldc * 4, ldc, accumulate ? 1 : 0]));
      this.release(bp);
      return;
    }
    this.parallel('gemm', parts.map(([r0, r1]) => [r1 - r0, n, k, a + r0 * ars * 4, ars, acs, b, ldb, c + r0 * ldc * 4, ldc, accumulate ? 1 : 0]));
  }

  /** A new block holding B[k, n] (row stride ldb) packed into column panels; n a multiple of 8. */
  packB(k: number, n: number, b: number, ldb: number): number {
    const bp = this.alloc(k * n * 4);
    this.parallel('packB', splitRows(n, this.threads, 8).map(([j0, j1]) => [k, j0, j1, b, ldb, bp]));
    return bp;
  }

  /** B packed for the kernels' gemmB when n is a multiple of 8, else B itself; flag says which. */
  maybePackB(k: number, n: number, b: number): { at: number; packed: 0 | 1; release(): void } {
    if (n % 8 !== 0) return { at: b, packed: 0, release: () => {} };
    const at = this.packB(k, n, b, n);
    return { at, packed: 1, release: () => this.release(at) };
  }

  /** dst[cols, rows] = src[rows, cols]ᵀ. */
  transpose(rows: number, cols: number, src: number, dst: number): void {
    this.call('transpose', rows, cols, src, dst);
  }
}

/**
 * Splits [0, n) into at most `parts` contiguous ranges whose inner boundaries are multiples of
 * `multiple` (so matrix tiles stay whole); empty ranges are dropped.
 */
export function splitRows(n: number, parts: number, multiple = 1): [number, number][] {
  const out: [number, number][] = [];
  const per = Math.ceil(n / parts / multiple) * multiple;
  for (let s = 0; s < n; s += per) out.push([s, Math.min(n, s + per)]);
  return out;
}

let runtime: KernelRuntime | undefined;
let threadCode: string | undefined;

function threadSource(): string {
  threadCode ??= readFileSync(join(projectRoot(), 'models/fused/kernel-thread.cjs'), 'utf8');
  return threadCode;
}

export function kernelThreads(): number {
  const fromEnv = Number(process.env.CELLSCOPE_THREADS);
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return Math.min(fromEnv, 64);
  return Math.max(1, Math.min(8, availableParallelism()));
}

/**
 * The compiled kernel module, built first if its sources changed: the relaxed-SIMD build when
 * this V8 accepts it (see the class comment), else the plain SIMD one.
 */
export function kernelModule(): { module: WebAssembly.Module; variant: 'simd' | 'relaxed-simd' } {
  const root = projectRoot();
  execFileSync(process.execPath, [join(root, 'scripts/build-kernels.mjs'), '--if-stale'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const relaxed = readFileSync(join(root, 'models/fused/build/kernels-relaxed.wasm'));
  if (process.env.CELLSCOPE_RELAXED_SIMD !== '0') {
    if (!WebAssembly.validate(relaxed)) setFlagsFromString('--experimental-wasm-relaxed-simd');
    if (WebAssembly.validate(relaxed)) return { module: new WebAssembly.Module(relaxed), variant: 'relaxed-simd' };
  }
  return { module: new WebAssembly.Module(readFileSync(join(root, 'models/fused/build/kernels.wasm'))), variant: 'simd' };
}

/** The process-wide runtime. */
export function kernels(): KernelRuntime {
  if (!runtime) {
    const { module, variant } = kernelModule();
    runtime = new KernelRuntime(module, kernelThreads(), variant);
  }
  return runtime;
}
