import Link from 'next/link';
import { getDb } from '@/lib/db/client.ts';
import { listLabs } from '@/lib/db/labs.ts';
import { visibleWhere } from '@/lib/auth/access.ts';
import { pageActor } from '@/lib/http/page-actor.ts';
import { MemoryLabForm } from '@/components/memory-lab-form';

export const dynamic = 'force-dynamic';

export default async function LabsPage() {
  const labs = await listLabs(await getDb(), visibleWhere(await pageActor(), 'lab'));
  return (
    <>
      <h1>Long-term memory lab</h1>
      <p className="muted">
        Train several architectures on a memory task at several gaps with the same budget, and see how long a gap each
        cell bridges (the lecture&apos;s IRNN vs np-RNN vs LSTM table). The <b>copy</b> task shows 10 letters, a gap of T
        blanks and a marker, then asks for the letters again; the <b>adding</b> task shows T digits, two of them marked,
        and asks for their sum. Accuracy counts only the characters memory can predict.
      </p>
      <div className="grid2">
        <section className="panel">
          <h2>New lab</h2>
          <MemoryLabForm />
        </section>
        <section className="panel">
          <h2>Labs</h2>
          {labs.length === 0 ? <p className="muted">None yet.</p> : (
            <ul data-testid="lab-list">
              {labs.map((l) => (
                <li key={l.id}><Link href={`/labs/${l.id}`}>{l.name}</Link> <span className="muted small">· {l.cells.length} runs · {l.config.steps} steps each</span></li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}
