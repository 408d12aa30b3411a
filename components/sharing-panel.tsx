'use client';
import { useEffect, useState } from 'react';
import { api } from '@/lib/http/client.ts';

type Visibility = 'private' | 'shared' | 'public';
export type ShareableResource = 'corpora' | 'runs' | 'recordings' | 'labs' | 'labels';

const LABELS: Record<Visibility, string> = {
  private: 'Private: only me',
  shared: 'Shared, read-only, with the people named',
  public: 'Public to everyone logged in, read-only',
};

/** The owner's sharing control (shared mode): GET and POST /api/<resource>/<id>/sharing. */
export function SharingPanel({ resource, id }: { resource: ShareableResource; id: number }) {
  const [visibility, setVisibility] = useState<Visibility>('private');
  const [users, setUsers] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The controls wait for the stored sharing: a choice made before it arrived would be overwritten.
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    api(`GET /api/${resource}/{id}/sharing`, { id }).then((sharing) => {
      setVisibility(sharing.visibility);
      setUsers(sharing.users.join(', '));
      setLoaded(true);
    }, (err: unknown) => setError(`could not read the sharing: ${err instanceof Error ? err.message : String(err)}`));
  }, [resource, id]);
  const save = async (): Promise<void> => {
    setError(null);
    setStatus(null);
    const named = users.split(/[\s,;]+/).filter((u) => u !== '');
    try {
      const saved = await api(`POST /api/${resource}/{id}/sharing`, { id, body: { visibility, ...(visibility === 'shared' ? { users: named } : {}) } });
      setUsers(saved.users.join(', '));
      setStatus(saved.visibility === 'shared' ? `shared with ${saved.users.length}` : `now ${saved.visibility}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <div className="form-row" data-testid="sharing-panel">
      <label className="field">
        Who may see it
        <select disabled={!loaded} value={visibility} onChange={(e) => setVisibility(e.target.value as Visibility)} data-testid="sharing-visibility">
          {(Object.keys(LABELS) as Visibility[]).map((v) => <option key={v} value={v}>{LABELS[v]}</option>)}
        </select>
      </label>
      {visibility === 'shared' && (
        <label className="field" style={{ flex: 1 }}>
          E-mail addresses, separated by commas
          <input value={users} onChange={(e) => setUsers(e.target.value)} placeholder="ada@lab.example, alan@lab.example" data-testid="sharing-users" />
        </label>
      )}
      <button disabled={!loaded} onClick={() => void save()} data-testid="sharing-save">Save</button>
      {status && <span className="small muted" data-testid="sharing-status">{status}</span>}
      {error && <span className="error" role="alert">{error}</span>}
    </div>
  );
}
