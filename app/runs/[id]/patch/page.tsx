import Link from 'next/link';
import { StatePatching } from '@/components/state-patching';
import { getRun } from '@/lib/db/runs.ts';
import { loadPageEntity } from '@/lib/http/load-page-entity.ts';

export const dynamic = 'force-dynamic';

export default async function PatchPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { entity: run } = await loadPageEntity(params, { kind: 'run', load: getRun });
  const sp = await searchParams;
  const text = (k: string): string | null => (typeof sp[k] === 'string' ? sp[k] : null);
  const clean = text('clean');
  const corrupt = text('corrupt');
  const target = text('target');
  return (
    <>
      <h1>State patching · <Link href={`/runs/${run.id}`}>{run.name}</Link></h1>
      <p className="muted small">Which step&apos;s state carries what the model needs to predict the target, and how long it carries it: copy one layer&apos;s state at one step from a clean text into a corrupted one and see how much of p(target) comes back.</p>
      <StatePatching runId={run.id} initial={clean !== null && corrupt !== null && target !== null ? { clean, corrupt, target } : null} />
    </>
  );
}
