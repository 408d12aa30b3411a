import Link from 'next/link';
import { notFound } from 'next/navigation';
import { adminOverview, isAdminActor } from '@/lib/auth/admin-overview.ts';
import { getDb } from '@/lib/db/client.ts';
import { pageActor } from '@/lib/http/page-actor.ts';
import { gb } from '@/lib/util/limits.ts';
import { AdminJobCancel } from '@/components/admin-job-cancel';
import { AutoRefresh } from '@/components/ui/auto-refresh';
import { StatusBadge } from '@/components/ui/status-badge';

export const dynamic = 'force-dynamic';

/** Users, what each stores against their quota, and the jobs queued or running (admins only). */
export default async function AdminPage() {
  const actor = await pageActor();
  if (!isAdminActor(actor)) notFound();
  const { users, jobs } = await adminOverview(await getDb(), actor);
  return (
    <>
      <AutoRefresh active={jobs.length > 0} />
      <h1>Admin</h1>
      <section className="panel">
        <h2>Users</h2>
        {users.length === 0 ? <p className="muted">No accounts yet: <code>cellscope user add EMAIL --password-stdin</code>.</p> : (
          <table data-testid="admin-users">
            <thead><tr><th>User</th><th className="num">Corpora</th><th className="num">Checkpoints</th><th className="num">Recordings</th><th className="num">Total / quota</th><th className="num">Jobs</th></tr></thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <td>{u.email}{u.isAdmin ? ' (admin)' : ''}</td>
                  <td className="num">{gb(u.storage.corpora + u.storage.labelTracks)}</td>
                  <td className="num">{gb(u.storage.checkpoints)}</td>
                  <td className="num">{gb(u.storage.recordings)}</td>
                  <td className="num">{gb(u.storage.total)} / {gb(u.quotaBytes)} ({((100 * u.storage.total) / u.quotaBytes).toFixed(1)}%)</td>
                  <td className="num">{u.activeJobs} / {u.maxJobs}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel">
        <h2>Queued and running jobs</h2>
        {jobs.length === 0 ? <p className="muted">None.</p> : (
          <table data-testid="admin-jobs">
            <thead><tr><th>Job</th><th>Owner</th><th>Status</th><th>Progress</th><th /></tr></thead>
            <tbody>
              {jobs.map((j) => (
                <tr key={j.id}>
                  <td>#{j.id} {j.kind} {j.runId !== null ? <Link href={`/runs/${j.runId}`}>run {j.runId}</Link> : null}{j.recordingId !== null ? ` · recording ${j.recordingId}` : ''}</td>
                  <td>{j.owner ?? 'local'}</td>
                  <td><StatusBadge status={j.status} /></td>
                  <td className="small">{(100 * j.progress).toFixed(0)}% {j.message}</td>
                  <td><AdminJobCancel jobId={j.id} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
