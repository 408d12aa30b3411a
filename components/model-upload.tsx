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
  const [spec, setSpec] = useState<File | null>(null);
  const [classes, setClasses] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<UploadResult | null>(null);
  const torchFile = (f: File): boolean => /\.(pt|pth|safetensors)$/i.test(f.name);
  const oneFile = (f: File): boolean => torchFile(f) || /\.(onnx|keras|h5)$/i.test(f.name);
  const upload = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    setResult(null);
    const form = new FormData();
    for (const f of files) form.append('files', f, f.name);
    if (vocab) form.append('vocab', vocab, vocab.name);
    if (spec && torch) form.append('spec', spec, spec.name);
    if (classes) form.append('classes', classes, classes.name);
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
  const torch = files.some(torchFile);
  const ready = files.some(oneFile) || files.some((f) => f.name.endsWith('.json'));
  return (
    <div>
      <div className="form-row">
        <label className="field">model.json and its weight files (.bin), a PyTorch state_dict (.pt, .pth, .safetensors), an .onnx file or a Keras .keras/.h5
          <input type="file" multiple accept=".json,.bin,.pt,.pth,.safetensors,.onnx,.keras,.h5" onChange={(e) => setFiles([...(e.target.files ?? [])])} data-testid="model-files" />
        </label>
        {torch && (
          <label className="field">spec: JSON {'{"nonlinearity", "head", "embedding"}'} (optional)
            <input type="file" accept=".json" onChange={(e) => setSpec(e.target.files?.[0] ?? null)} data-testid="model-spec" />
          </label>
        )}
        <label className="field">vocabulary: JSON {unit === 'word' ? '{"word": index}' : '{"character": index}'} (optional)
          <input type="file" accept=".json" onChange={(e) => setVocab(e.target.files?.[0] ?? null)} data-testid="model-vocab" />
        </label>
        <label className="field" title="a classifier (e.g. a sentiment LSTM): its class names in the read-out's order">classes: JSON {'["negative", "positive"]'} (a classifier)
          <input type="file" accept=".json" onChange={(e) => setClasses(e.target.files?.[0] ?? null)} data-testid="model-classes" />
        </label>
        <label className="field">name (optional)
          <input value={name} onChange={(e) => setName(e.target.value)} style={{ width: 200 }} data-testid="model-name" />
        </label>
        <button type="button" disabled={busy || !ready} onClick={() => void upload()} data-testid="model-upload">{busy ? 'Checking…' : 'Upload model'}</button>
      </div>
      <p className="small muted">
        Embedding or one-hot input, LSTM, GRU or simple RNN layers (each its own kind and size, e.g. LSTM(48) → GRU(40)), and a linear read-out over the vocabulary (TensorFlow.js and Keras .keras/.h5: a Dense softmax, dropout allowed;
        PyTorch: nn.Embedding, nn.LSTM/GRU/RNN and nn.Linear, read from the state_dict&apos;s parameter names, never run as code; ONNX: Gather, LSTM/GRU/RNN operators, MatMul or Gemm and Add; the spec says an nn.RNN&apos;s nonlinearity or which module is the read-out when the weights cannot).
        Without a vocabulary, the corpus&apos;s characters sorted by code point are assumed.
      </p>
      {error && <p className="error" data-testid="model-error">{error}</p>}
      {result && (
        <div data-testid="model-result">
          <p>
            <Link href={`/runs/${result.runId}`} data-testid="open-uploaded-run">{result.summary}</Link>: {result.classifier
              ? `classes ${result.classifier.classes.join(', ')}${result.classifier.accuracy !== null ? `; ${(100 * result.classifier.accuracy).toFixed(1)}% right on this corpus's ${result.classifier.sequences} labelled sequences` : ''}.`
              : result.valBpc === null || result.trainBpc === null
                ? 'its states are recorded; it makes no predictions to score.'
                : `${result.valBpc.toFixed(3)} bits per ${per} on this corpus's validation text (${result.trainBpc.toFixed(3)} on its training text).`}
          </p>
          {result.warnings.map((w) => <p key={w} className="small error">warning: {w}</p>)}
        </div>
      )}
    </div>
  );
}
