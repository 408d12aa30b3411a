'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api, type ApiResponse } from '@/lib/http/client.ts';

type UploadResult = ApiResponse<'POST /api/models'>;

/**
 * Upload a model trained elsewhere (a TensorFlow.js LayersModel: model.json and its .bin weight
 * files, as model.save or tensorflowjs_converter write them) that reads this corpus, with its
 * character → index map. It becomes a run: record it and explore it like one trained here.
 */
export function ModelUpload({ corpusId, unit = 'char' }: { corpusId: number; unit?: 'char' | 'word' }) {
  const per = unit === 'word' ? 'word' : 'character';
  const router = useRouter();
  const [files, setFiles] = useState<File[]>([]);
  const [vocab, setVocab] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<UploadResult | null>(null);
  const upload = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    setResult(null);
    const form = new FormData();
    for (const f of files) form.append('files', f, f.name);
    if (vocab) form.append('vocab', vocab, vocab.name);
    form.append('corpusId', String(corpusId));
    if (name.trim()) form.append('name', name.trim());
    try {
      setResult(await api('POST /api/models', { form }));
      router.refresh();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const hasModelJson = files.some((f) => f.name.endsWith('.json'));
  return (
    <div>
      <div className="form-row">
        <label className="field">model.json and its weight files (.bin)
          <input type="file" multiple accept=".json,.bin" onChange={(e) => setFiles([...(e.target.files ?? [])])} data-testid="model-files" />
        </label>
        <label className="field">vocabulary: JSON {unit === 'word' ? '{"word": index}' : '{"character": index}'} (optional)
          <input type="file" accept=".json" onChange={(e) => setVocab(e.target.files?.[0] ?? null)} data-testid="model-vocab" />
        </label>
        <label className="field">name (optional)
          <input value={name} onChange={(e) => setName(e.target.value)} style={{ width: 200 }} data-testid="model-name" />
        </label>
        <button type="button" disabled={busy || !hasModelJson} onClick={() => void upload()} data-testid="model-upload">{busy ? 'Checking…' : 'Upload model'}</button>
      </div>
      <p className="small muted">
        Embedding or one-hot input, LSTM, GRU (reset_after either way) or SimpleRNN layers of one size, dropout, and a Dense softmax over the vocabulary.
        Without a vocabulary, the corpus&apos;s characters sorted by code point are assumed.
      </p>
      {error && <p className="error" data-testid="model-error">{error}</p>}
      {result && (
        <div data-testid="model-result">
          <p>
            <Link href={`/runs/${result.runId}`} data-testid="open-uploaded-run">{result.summary}</Link>: {result.valBpc.toFixed(3)} bits per {per} on this corpus&apos;s validation text ({result.trainBpc.toFixed(3)} on its training text).
          </p>
          {result.warnings.map((w) => <p key={w} className="small error">warning: {w}</p>)}
        </div>
      )}
    </div>
  );
}
