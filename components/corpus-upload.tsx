'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ApiError, apiUpload } from '@/lib/http/client.ts';
import { FileDropzone } from './ui/file-dropzone';
import { ProgressBar } from './ui/progress-bar';

/**
 * Uploads a corpus to POST /api/corpora with its progress (lib/http/client.ts apiUpload),
 * shows the progress and the server's message on refusal, then opens the new corpus.
 */
export function CorpusUpload() {
  const router = useRouter();
  const [name, setName] = useState('');
  const [words, setWords] = useState(false);
  const [sequences, setSequences] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const upload = (file: File): void => {
    setError(null);
    setProgress(0);
    const form = new FormData();
    form.append('file', file);
    if (name.trim()) form.append('name', name.trim());
    if (words) form.append('unit', 'word');
    if (sequences) form.append('sequences', '1');
    apiUpload('POST /api/corpora', { form, onProgress: setProgress }).then(
      ({ corpus }) => {
        setProgress(1);
        router.push(`/corpora/${corpus.id}`);
      },
      (err: unknown) => {
        setProgress(null);
        setError(err instanceof ApiError && err.status === 0 ? 'upload failed: the server could not be reached' : err instanceof Error ? err.message : String(err));
      },
    );
  };
  return (
    <div>
      <div className="form-row">
        <label className="field">
          Name (optional)
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="file name" data-testid="corpus-name" />
        </label>
        <label className="small" style={{ display: 'flex', gap: 4, alignItems: 'center' }} title="each whitespace-separated word is one position: for word-level models">
          <input type="checkbox" checked={words} onChange={(e) => setWords(e.target.checked)} data-testid="corpus-words" />
          word-level (split on whitespace)
        </label>
        <label className="small" style={{ display: 'flex', gap: 4, alignItems: 'center' }} title='one sequence per line, or JSONL {"text": ..., "label": ...}; each is read from a fresh state, and no match spans two'>
          <input type="checkbox" checked={sequences} onChange={(e) => setSequences(e.target.checked)} data-testid="corpus-sequences-flag" />
          separate sequences (a line each, or JSONL with labels)
        </label>
      </div>
      <FileDropzone onFile={upload} disabled={progress !== null && progress < 1} hint="Drop a UTF-8 text file here, or click to choose one (up to 50 MB)" />
      {progress !== null && (
        <div style={{ marginTop: 10 }} data-testid="upload-progress">
          <ProgressBar value={progress} label="upload progress" />
          <div className="small muted">{progress < 1 ? `uploading… ${Math.round(progress * 100)}%` : 'processing…'}</div>
        </div>
      )}
      {error && <p className="error" data-testid="upload-error">{error}</p>}
    </div>
  );
}
