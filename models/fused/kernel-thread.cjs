// A helper thread for the fused kernels (models/fused/kernels.ts). Plain CommonJS, started from
// its source text (Worker eval) so that no loader or bundler has to resolve a file for it. It instantiates the same WebAssembly module on the shared memory, then
// waits on its control block: [seq, done, op, nargs, args...]. Each new seq runs one export with
// the given i32 arguments and publishes seq in `done` (negated if the call threw).
const { workerData } = require('node:worker_threads');

const { module, memory, control, ops } = workerData;
const instance = new WebAssembly.Instance(module, {
  env: { memory, abort: () => { throw new Error('kernel abort'); } },
});
const ctl = new Int32Array(memory.buffer, control, 32);
// After a task, spin briefly before sleeping: the next command usually follows within
// microseconds, and a futex wake-up costs ~25 us (a training step issues dozens of commands).
const SPIN_MS = 0.3;
let seen = 0;
for (;;) {
  const until = performance.now() + SPIN_MS;
  while (Atomics.load(ctl, 0) === seen && performance.now() < until);
  // Only a new seq is a new command. A notify wakes a sleeper whatever the value: the caller's
  // notify for the command just run can arrive late (caller descheduled between its store and its
  // notify), after this thread already ran it and went back to sleep.
  while (Atomics.load(ctl, 0) === seen) Atomics.wait(ctl, 0, seen);
  seen = Atomics.load(ctl, 0);
  const fn = instance.exports[ops[ctl[2]]];
  const args = Array.from(ctl.subarray(4, 4 + ctl[3]));
  let result = seen;
  try {
    fn(...args);
  } catch (err) {
    console.error('[cellscope] kernel thread:', err);
    result = -seen;
  }
  Atomics.store(ctl, 1, result);
  Atomics.notify(ctl, 1);
}
