'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api } from '@/lib/http/client.ts';

/** An admin cancels any job (POST /api/jobs/ID/cancel), then the page reloads its list. */
export function AdminJobCancel({ jobId }: { jobId: number }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const cancel = (): void => {
    api('POST /api/jobs/{id}/cancel', { id: jobId }).then(() => router.refresh(), (err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  };
  return (
    <>
      <button className="danger" style={{ padding: '1px 8px', fontSize: 12 }} data-testid={`admin-cancel-${jobId}`} onClick={cancel}>
        Cancel
      </button>
      {error && <span className="error small" role="alert">{error}</span>}
    </>
  );
}
