import Link from 'next/link';
import { loadPageEntity } from '@/lib/http/load-page-entity.ts';
import { labResults } from '@/lib/train/memory-lab.ts';
import { AutoRefresh } from '@/components/ui/auto-refresh';
import { MemoryChart } from '@/components/views/memory-chart';
import { OwnershipNote } from '@/components/ownership-note';
import { sharedMode } from '@/lib/auth/actor.ts';
import { ARCHITECTURE_SHORT } from '@/models/architectures.ts';

export const dynamic = 'force-dynamic';

export default async function LabPage({ params }: { params: Promise<{ id: string }> }) {
  const { entity: lab, canChange } = await loadPageEntity(params, { kind: 'lab', load: labResults });
  const c = lab.config;
  const gapLabel = lab.task === 'copy' ? 'gap T (blanks between the letters and their recall)' : 'sequence length T (digits per line)';
  // Chance: a uniform guess among the 8 letters (copy) or the 10 digits (adding).
  const chance = lab.task === 'copy' ? 1 / 8 : 1 / 10;
  const done = lab.cells.filter((x) => x.status === 'completed').length;
  return (
    <>
      <AutoRefresh active={lab.pending} ms={3000} />
      <h1 data-testid="lab-title">{lab.name}</h1>
      <OwnershipNote shared={sharedMode()} canChange={canChange} resource="labs" id={lab.id} owner={lab.owner} visibility={lab.visibility} />
      <p className="muted small">
        Lab {lab.id} · {c.layers}×{c.hidden} units · {c.steps} steps · batch {c.batch} · Adam lr {c.learningRate} · {c.examples} lines per task corpus · {done} of {lab.cells.length} runs trained
        {lab.pending ? ' · training in the background, this page refreshes itself' : ''}
      </p>
      <section className="panel">
        <MemoryChart cells={lab.cells} archs={c.archs} chance={chance} gapLabel={gapLabel} />
      </section>
      <section className="panel">
        <h2>Runs</h2>
        <table data-testid="lab-table">
          <thead>
            <tr><th>Architecture</th>{c.gaps.map((g) => <th key={g} className="num">T = {g}</th>)}</tr>
          </thead>
          <tbody>
            {c.archs.map((arch) => (
              <tr key={arch}>
                <td>{ARCHITECTURE_SHORT[arch] ?? arch}</td>
                {c.gaps.map((g) => {
                  const cell = lab.cells.find((x) => x.arch === arch && x.gap === g);
                  if (!cell) return <td key={g} className="num">–</td>;
                  const text = cell.status === 'completed' && typeof cell.accuracy === 'number'
                    ? `${(100 * cell.accuracy).toFixed(1)}%`
                    : cell.status === 'running' ? `step ${cell.runStep}/${cell.totalSteps}` : cell.status;
                  return <td key={g} className="num" data-testid={`lab-cell-${arch}-${g}`}><Link href={`/runs/${cell.runId}`}>{text}</Link></td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">Each cell links to its run (loss curves, checkpoints, recordings of the cells that carry the memory).</p>
      </section>
    </>
  );
}
