'use client';
import { objectsToCsv } from '@/lib/export/table-export.ts';

/** Saves text as a file from the browser. */
export function saveText(text: string, filename: string, type: string): void {
  saveBlob(new Blob([text], { type }), filename);
}

/** Saves a blob as a file: a temporary link the browser follows as a download. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * CSV and JSON downloads of a view's data: `rows` as CSV over `columns`, and `json` (default
 * the rows) as JSON. The file names say what they hold.
 */
export function DownloadButtons<T extends Record<string, unknown>>({ name, columns, rows, json, testid }: { name: string; columns: (keyof T & string)[]; rows: T[]; json?: unknown; testid: string }) {
  return (
    <span className="small download-buttons" data-testid={testid}>
      download{' '}
      <button type="button" className="link" onClick={() => saveText(objectsToCsv(columns, rows), `${name}.csv`, 'text/csv')} data-testid={`${testid}-csv`}>CSV</button>{' '}
      <button type="button" className="link" onClick={() => saveText(JSON.stringify(json ?? rows, null, 1), `${name}.json`, 'application/json')} data-testid={`${testid}-json`}>JSON</button>
    </span>
  );
}
