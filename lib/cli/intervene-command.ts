import type { Db } from '../db/client.ts';
import { intervene, type InterventionReport } from '../causal/intervene.ts';
import { intFlag, parseFlags, UsageError } from './args.ts';

export const INTERVENE_USAGE = `  cellscope intervene --recording R --layer N --quantity c|h|i|f|g|o|z|n --cells 12,40
                  --set zero|mean|value:V|scale:F|position:P [--where feature:quote|regex:RE]
                  [--start S --end E] [--json]
                  run the recording's model over the range as it is and with the cells set, every step
                  or where the feature holds; prints deltaBpc (intervened minus original), perClass,
                  topPositions
`;

/** `cellscope intervene`: ablate, clamp, scale or patch cells and measure what the predictions lose. */
export async function interveneCommand(db: Db, argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    recording: { type: 'string' }, layer: { type: 'string' }, quantity: { type: 'string' }, cells: { type: 'string' }, set: { type: 'string' },
    where: { type: 'string' }, start: { type: 'string' }, end: { type: 'string' }, json: { type: 'boolean' },
  });
  const recordingId = intFlag(values, 'recording', { min: 1, required: true }) as number;
  for (const name of ['quantity', 'cells', 'set'] as const) if (typeof values[name] !== 'string') throw new UsageError(`--${name} is required`);
  const json = values.json === true;
  const report = await intervene(db, recordingId, {
    layer: intFlag(values, 'layer', { min: 0, required: true }) as number,
    quantity: values.quantity as string,
    cells: values.cells as string,
    set: values.set as string,
    where: typeof values.where === 'string' ? values.where : undefined,
    start: intFlag(values, 'start', { min: 0 }),
    end: intFlag(values, 'end', { min: 1 }),
  }, {
    onProgress: (f) => {
      if (!json) process.stderr.write(`\rrunning ${Math.round(100 * f)}%`);
    },
  });
  if (json) {
    const { deltaLogp: _perPosition, ...rest } = report;
    process.stdout.write(`${JSON.stringify(rest)}\n`);
    return;
  }
  process.stdout.write(`\n${describe(report)}\n`);
}

function describe(r: InterventionReport): string {
  const lines = [
    `recording ${r.recordingId}, layer ${r.layer} ${r.quantity} cells ${r.cells.join(',')} set ${r.set} where ${r.where}, positions ${r.start}..${r.end}`,
    `  ${r.positions} positions scored, intervened at ${r.intervened}: ${r.bpcBefore.toFixed(4)} -> ${r.bpcAfter.toFixed(4)} bits per character (${r.deltaBpc >= 0 ? '+' : ''}${r.deltaBpc.toFixed(4)})`,
    '  by the class of the next character:',
    ...r.perClass.map((c) => `    ${c.class.padEnd(12)} ${String(c.count).padStart(8)}  ${c.deltaBpc >= 0 ? '+' : ''}${c.deltaBpc.toFixed(4)}`),
    '  most affected positions (Δ ln p of the true next character):',
    ...r.topPositions.slice(0, 10).map((p) => `    ${String(p.pos).padStart(8)} next ${JSON.stringify(p.next).padEnd(6)} ${p.deltaLogp >= 0 ? '+' : ''}${p.deltaLogp.toFixed(3)}`),
  ];
  return lines.join('\n');
}
