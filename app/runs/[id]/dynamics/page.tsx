import Link from 'next/link';
import { DynamicsExplorer } from '@/components/dynamics-explorer';
import { getRun, listCheckpoints, listRuns } from '@/lib/db/runs.ts';
import { visibleWhere } from '@/lib/auth/access.ts';
import { configStack } from '@/lib/train/config.ts';
import { describeStack } from '@/models/architectures.ts';
import { loadPageEntity } from '@/lib/http/load-page-entity.ts';

export const dynamic = 'force-dynamic';

export default async function DynamicsPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { db, entity: run, actor } = await loadPageEntity(params, { kind: 'run', load: getRun });
  const checkpoints = (await listCheckpoints(db, run.id)).map((c) => ({ id: c.id, step: c.step })).sort((a, b) => a.step - b.step);
  const sp = await searchParams;
  const asked = typeof sp.checkpoint === 'string' ? Number(sp.checkpoint) : NaN;
  const initial = checkpoints.find((c) => c.id === asked)?.id ?? checkpoints[checkpoints.length - 1]?.id;
  // Other runs with a model to compare the gradient flow with (the fused kernels cover them).
  const label = (r: { id: number; config: Parameters<typeof configStack>[0] }): string => `#${r.id} ${describeStack(configStack(r.config))}`;
  const others = (await listRuns(db, visibleWhere(actor, 'run')))
    .filter((r) => r.id !== run.id && r.config.source !== 'lstmvis' && !r.config.classes && !configStack(r.config).some((l) => l.direction === 'backward') && r.lastValBpc !== null)
    .map((r) => ({ id: r.id, label: label(r) }));
  const compare = typeof sp.compare === 'string' ? sp.compare.split(',').filter((v) => /^\d+$/.test(v)).map(Number) : [];
  return (
    <>
      <h1>Dynamics · <Link href={`/runs/${run.id}`}>{run.name}</Link></h1>
      {initial === undefined || run.config.source === 'lstmvis' ? (
        <section className="panel"><p>{run.config.source === 'lstmvis' ? 'An LSTMVis project has states but no model: there are no weights to analyse.' : 'This run has no checkpoint yet.'}</p></section>
      ) : (
        <DynamicsExplorer runId={run.id} runLabel={label(run)} checkpoints={checkpoints} initialCheckpoint={initial} others={others} initialCompare={compare} />
      )}
    </>
  );
}
