'use client';
import { useRouter } from 'next/navigation';

/** An admin cancels any job (POST /api/jobs/ID/cancel), then the page reloads its list. */
export function AdminJobCancel({ jobId }: { jobId: number }) {
  const router = useRouter();
  return (
    <button className="danger" style={{ padding: '1px 8px', fontSize: 12 }} data-testid={`admin-cancel-${jobId}`} onClick={() => void fetch(`/api/jobs/${jobId}/cancel`, { method: 'POST' }).then(() => router.refresh())}>
      Cancel
    </button>
  );
}
