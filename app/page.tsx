import Link from 'next/link';
import { getDb } from '@/lib/db/client.ts';
import { listCorpora } from '@/lib/db/corpora.ts';
import { listRuns } from '@/lib/db/runs.ts';
import { listRecordings } from '@/lib/db/recordings.ts';
import { CorpusUpload } from '@/components/corpus-upload';
import { LstmvisImport } from '@/components/lstmvis-import';
import { StatusBadge } from '@/components/ui/status-badge';
import { AutoRefresh } from '@/components/ui/auto-refresh';
import { visibleWhere } from '@/lib/auth/access.ts';
import { pageActor } from '@/lib/http/page-actor.ts';
import { OwnerTag } from '@/components/ui/owner-tag';
import { runShapeLabel } from '@/lib/train/config.ts';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const db = await getDb();
  const actor = await pageActor();
  const viewerId = actor.kind === 'user' ? actor.user.id : null;
  const [runs, corpora, recordings] = await Promise.all([listRuns(db, visibleWhere(actor, 'run')), listCorpora(db, visibleWhere(actor, 'corpus')), listRecordings(db, {}, visibleWhere(actor, 'recording'))]);
  const busy = runs.some((r) => r.status === 'running' || r.status === 'queued') || recordings.some((r) => r.status === 'running' || r.status === 'queued');
  return (
    <>
      <AutoRefresh active={busy} />
      <h1>Runs</h1>
      <section className="panel">
        {runs.length === 0 ? (
          <p className="muted">No runs yet: upload a corpus below and train a model on it.</p>
        ) : (
          <table data-testid="runs-table">
            <thead>
              <tr><th>Run</th><th>Corpus</th><th>Model</th><th>Status</th><th className="num">Step</th><th className="num">Val bpc</th><th>Recordings</th></tr>
            </thead>
            <tbody>
              {runs.map((r) => {
                const val = r.lastValBpc;
                const recs = recordings.filter((x) => x.runId === r.id);
                return (
                  <tr key={r.id}>
                    <td><Link href={`/runs/${r.id}`}>{r.name}</Link><OwnerTag item={r} viewerId={viewerId} /></td>
                    <td>{r.corpusName}</td>
                    <td>{runShapeLabel(r.config)}</td>
                    <td><StatusBadge status={r.status} /></td>
                    <td className="num">{r.config.source === 'imported' ? 'uploaded' : r.config.source === 'lstmvis' ? 'LSTMVis' : `${r.step.toLocaleString('en-US')} / ${r.config.steps.toLocaleString('en-US')}`}</td>
                    <td className="num">{val !== null ? val.toFixed(3) : '–'}</td>
                    <td>
                      {recs.map((x) => (
                        <Link key={x.id} href={`/recordings/${x.id}`} style={{ marginRight: 8 }}>
                          #{x.id} {x.status === 'completed' ? 'neurons' : x.status}
                        </Link>
                      ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      <div className="grid2">
        <section className="panel">
          <h2>Corpora</h2>
          {corpora.length === 0 ? (
            <p className="muted">No corpora yet.</p>
          ) : (
            <table data-testid="corpora-table">
              <thead><tr><th>Name</th><th className="num">Characters</th><th className="num">Vocabulary</th><th /></tr></thead>
              <tbody>
                {corpora.map((c) => (
                  <tr key={c.id}>
                    <td><Link href={`/corpora/${c.id}`}>{c.name}</Link><OwnerTag item={c} viewerId={viewerId} /></td>
                    <td className="num">{c.chars.toLocaleString('en-US')}</td>
                    <td className="num">{c.vocabSize}</td>
                    <td><Link href={`/corpora/${c.id}`}>train a model →</Link></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="panel">
          <h2>Upload a corpus</h2>
          <CorpusUpload />
          <h2 style={{ marginTop: 18 }}>Import an LSTMVis project</h2>
          <LstmvisImport />
        </section>
      </div>
    </>
  );
}
