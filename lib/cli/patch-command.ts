import type { Db } from '../db/client.ts';
import { patchStates } from '../causal/patching.ts';
import { intFlag, parseFlags, UsageError } from './args.ts';

export const PATCH_USAGE = `  cellscope patch --run ID [--checkpoint C] --clean TEXT --corrupt TEXT --target CHAR [--json]
                  state patching: the corrupted text run again with each layer's h (and c) at each step
                  copied from the clean one; how much of p(target) after the text each patch restores
`;

/** `cellscope patch`: which step's state carries the information the target needs. */
export async function patchCommand(db: Db, argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, { run: { type: 'string' }, checkpoint: { type: 'string' }, clean: { type: 'string' }, corrupt: { type: 'string' }, target: { type: 'string' }, json: { type: 'boolean' } });
  const runId = intFlag(values, 'run', { min: 1, required: true }) as number;
  for (const name of ['clean', 'corrupt', 'target'] as const) if (typeof values[name] !== 'string') throw new UsageError(`--${name} is required`);
  const r = await patchStates(db, runId, { clean: values.clean as string, corrupt: values.corrupt as string, target: values.target as string, checkpointId: intFlag(values, 'checkpoint', { min: 1 }) });
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const lines = [`run ${r.runId} checkpoint ${r.checkpointId} (step ${r.step}): p(${JSON.stringify(r.target)}) clean ${r.pClean.toFixed(4)}, corrupted ${r.pCorrupt.toFixed(4)}`, '  fraction restored by patching each step (rows: layer and quantity):'];
  lines.push(`  ${''.padEnd(8)} ${r.clean.map((ch, t) => (ch === r.corrupt[t] ? ch : '*').replace('\n', '⏎').padStart(5)).join('')}`);
  for (const p of r.patches) lines.push(`  ${`${p.layer} ${p.quantity}`.padEnd(8)} ${p.restored.map((v) => (v === null ? '–' : v.toFixed(2)).padStart(5)).join('')}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
