'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api, type ApiResponse } from '@/lib/http/client.ts';

type ImportResult = ApiResponse<'POST /api/lstmvis'>;

/** Import an LSTMVis project folder (lstm.yml, its HDF5 and .dict files) as a recording to explore. */
export function LstmvisImport() {
  const router = useRouter();
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const upload = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    setResult(null);
    const form = new FormData();
    // A folder pick names each file by its path inside the folder.
    for (const f of files) form.append('files', f, f.webkitRelativePath || f.name);
    try {
      setResult(await api('POST /api/lstmvis', { form }));
      router.refresh();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <div className="form-row">
        <label className="field">project folder
          <input type="file" multiple {...{ webkitdirectory: '' }} onChange={(e) => setFiles([...(e.target.files ?? [])])} data-testid="lstmvis-folder" />
        </label>
        <label className="field">or its files, or a .zip of it
          <input type="file" multiple accept=".yml,.yaml,.h5,.hdf5,.dict,.txt,.zip" onChange={(e) => setFiles([...(e.target.files ?? [])])} data-testid="lstmvis-files" />
        </label>
        <button type="button" disabled={busy || files.length === 0} onClick={() => void upload()} data-testid="lstmvis-import">{busy ? 'Importing…' : 'Import'}</button>
      </div>
      <p className="small muted">lstm.yml with its states and token HDF5 files and .dict files, as LSTMVis documents them. States of type state become c, of type output h (tanh applied unless transform: none); meta annotations become label tracks.</p>
      {error && <p className="error" data-testid="lstmvis-error">{error}</p>}
      {result && (
        <div data-testid="lstmvis-result">
          <p>
            <Link href={`/recordings/${result.recordingId}`} data-testid="open-lstmvis-recording">recording #{result.recordingId}</Link>: {result.timesteps.toLocaleString('en-US')} {result.unit === 'word' ? 'words' : 'characters'}, {result.layers} layer{result.layers > 1 ? 's' : ''} × {result.hidden} cells{result.labelTracks.length ? ` · annotations: ${result.labelTracks.join(', ')}` : ''}
          </p>
          {result.warnings.map((w) => <p key={w} className="small error">warning: {w}</p>)}
        </div>
      )}
    </div>
  );
}
