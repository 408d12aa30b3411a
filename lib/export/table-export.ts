/**
 * Tables as CSV (RFC 4180: fields with commas, quotes or line breaks are quoted, quotes doubled)
 * or JSON, for the views' download buttons. Pure, so the browser and tests share it.
 */
export type Cell = string | number | boolean | null | undefined;

export function csvField(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  // A text starting with = + - @ (or a tab or carriage return) is a formula to a spreadsheet
  // (=HYPERLINK(...) runs when the file is opened): a leading apostrophe keeps it text (OWASP).
  const s = /^[=+\-@\t\r]/.test(String(v)) ? `'${String(v)}` : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return `${[columns.map(csvField).join(','), ...rows.map((r) => r.map(csvField).join(','))].join('\n')}\n`;
}

/** Rows of objects as CSV over the given keys (nested values as JSON text). */
export function objectsToCsv<T extends Record<string, unknown>>(columns: readonly (keyof T & string)[], rows: readonly T[]): string {
  return toCsv(columns, rows.map((r) => columns.map((c) => {
    const v = r[c];
    return typeof v === 'object' && v !== null ? JSON.stringify(v) : (v as Cell);
  })));
}
