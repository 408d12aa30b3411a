import Link from 'next/link';
import { getCorpusSummary } from '@/lib/db/corpora.ts';
import { listRuns } from '@/lib/db/runs.ts';
import { loadPageEntity } from '@/lib/http/load-page-entity.ts';
import { TrainForm } from '@/components/train-form';
import { ModelUpload } from '@/components/model-upload';
import { visibleWhere } from '@/lib/auth/access.ts';
import { OwnershipNote } from '@/components/ownership-note';
import { sharedMode } from '@/lib/auth/actor.ts';
import { StatusBadge } from '@/components/ui/status-badge';

export const dynamic = 'force-dynamic';

export default async function CorpusPage({ params }: { params: Promise<{ id: string }> }) {
  const { db, id, entity: corpus, actor, canChange } = await loadPageEntity(params, { kind: 'corpus', load: getCorpusSummary });
  const preview = await db.prisma.corpus.findUniqueOrThrow({ where: { id }, select: { text: true } });
  const runs = (await listRuns(db, visibleWhere(actor, 'run'))).filter((r) => r.corpusId === id);
  return (
    <>
      <h1 data-testid="corpus-title">{corpus.name}</h1>
      <OwnershipNote shared={sharedMode()} canChange={canChange} resource="corpora" id={corpus.id} owner={corpus.owner} visibility={corpus.visibility} />
      <section className="panel">
        <div className="stats">
          <div className="stat"><div className="v">{corpus.chars.toLocaleString('en-US')}</div><div className="k">{corpus.unit === 'word' ? 'words' : 'characters'}</div></div>
          <div className="stat"><div className="v">{corpus.vocabSize}</div><div className="k">vocabulary</div></div>
          {corpus.sequences !== null && <div className="stat" data-testid="corpus-sequences"><div className="v">{corpus.sequences.toLocaleString('en-US')}</div><div className="k">sequences (each read from a fresh state)</div></div>}
          <div className="stat"><div className="v">{(corpus.chars - corpus.trainEnd).toLocaleString('en-US')}</div><div className="k">held out for validation (last {Math.round((100 * (corpus.chars - corpus.trainEnd)) / corpus.chars)}%)</div></div>
        </div>
        <pre className="sample">{preview.text.slice(0, 600)}</pre>
      </section>
      <section className="panel">
        <h2>Train a character-level model</h2>
        <TrainForm corpusId={id} />
      </section>
      <section className="panel">
        <h2>Or upload a model trained elsewhere</h2>
        <ModelUpload corpusId={id} unit={corpus.unit} />
      </section>
      {runs.length > 0 && (
        <section className="panel">
          <h2>Runs on this corpus</h2>
          <ul>
            {runs.map((r) => (
              <li key={r.id}><Link href={`/runs/${r.id}`}>{r.name}</Link> <StatusBadge status={r.status} /></li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
