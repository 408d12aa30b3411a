import Link from 'next/link';
import { ENDPOINTS, openApiDocument } from '@/lib/http/api-contract.ts';
import { ERROR_KINDS } from '@/lib/errors.ts';

export const dynamic = 'force-dynamic';

interface Param { name: string; in: string; required: boolean; schema: Record<string, unknown> }
type JsonSchema = Record<string, unknown>;
type Operation = {
  parameters?: Param[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, Record<string, unknown>>; required?: string[] } }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
};

/** A response schema in one line: "{corpus: {id, name, chars, …}}", nested two levels deep. */
function outline(s: JsonSchema, depth = 0): string {
  if (Array.isArray(s.anyOf)) return (s.anyOf as JsonSchema[]).map((x) => outline(x, depth)).join(' | ');
  if (s.type === 'array') return `[${outline((s.items ?? {}) as JsonSchema, depth)}]`;
  if (s.type === 'object' && s.properties) {
    if (depth >= 2) return '{…}';
    const required = new Set((s.required as string[] | undefined) ?? []);
    const fields = Object.entries(s.properties as Record<string, JsonSchema>).map(([name, f]) => {
      const inner = f.type === 'object' || f.type === 'array' || Array.isArray(f.anyOf) ? `: ${outline(f, depth + 1)}` : '';
      return `${name}${required.has(name) ? '' : '?'}${inner}`;
    });
    return `{${fields.join(', ')}}`;
  }
  if (s.const !== undefined) return JSON.stringify(s.const);
  return String(s.type ?? 'any');
}

/** A parameter's type in a few words: "integer 0–16", "string /^\d+…/", "csv | json". */
function typeOf(s: Record<string, unknown>): string {
  if (s.type === 'array' && (s.items as { format?: string } | undefined)?.format === 'binary') return 'file(s)';
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map(String).join(' | ');
  if (Array.isArray(s.anyOf)) return (s.anyOf as Record<string, unknown>[]).map(typeOf).join(' or ');
  const range = s.minimum !== undefined || s.maximum !== undefined ? ` ${String(s.minimum ?? '')}–${Number(s.maximum) >= 1e12 ? '' : String(s.maximum ?? '')}` : '';
  return `${String(s.type ?? 'any')}${range}${s.default !== undefined ? ` (default ${JSON.stringify(s.default)})` : ''}`;
}

/** The API reference, drawn from the same contract as /api/openapi.json. */
export default function ApiDocsPage() {
  const doc = openApiDocument() as { paths: Record<string, Record<string, Operation>> };
  const tags = [...new Set(ENDPOINTS.map((e) => e.tag))];
  return (
    <>
      <h1>HTTP API</h1>
      <p className="muted small">
        Generated from the routes&apos; own schemas. Machine-readable: <Link href="/api/openapi.json" data-testid="openapi-link">/api/openapi.json</Link> (OpenAPI 3.1).
        Errors are <code>{'{error, kind, field?}'}</code>: {Object.entries(ERROR_KINDS).map(([k, v]) => `${k} ${v.status}`).join(' · ')}.
      </p>
      {tags.map((tag) => (
        <section key={tag} className="panel" data-testid={`api-${tag}`}>
          <h2>{tag}</h2>
          {ENDPOINTS.filter((e) => e.tag === tag).map((e) => {
            const op = doc.paths[e.path]?.[e.method.toLowerCase()];
            const query = (op?.parameters ?? []).filter((p) => p.in === 'query');
            const body = op?.requestBody?.content['application/json']?.schema ?? op?.requestBody?.content['multipart/form-data']?.schema;
            const content = op?.responses?.[String(e.ok)]?.content;
            const success = content?.['application/json']?.schema ?? content?.['text/event-stream']?.schema;
            return (
              <div key={`${e.method} ${e.path}`} style={{ marginBottom: 14 }}>
                <div><code><b>{e.method}</b> {e.path}</code></div>
                <div className="small">{e.summary}</div>
                {query.length > 0 && <div className="small muted">query: {query.map((p) => <span key={p.name} style={{ marginRight: 10 }}><code>{p.name}{p.required ? '' : '?'}</code> {typeOf(p.schema)}</span>)}</div>}
                {body?.properties && (
                  <div className="small muted">
                    body{op?.requestBody?.content['multipart/form-data'] ? ' (multipart)' : ''}: {Object.entries(body.properties).map(([name, s]) => <span key={name} style={{ marginRight: 10 }}><code>{name}{body.required?.includes(name) ? '' : '?'}</code> {typeOf(s)}</span>)}
                  </div>
                )}
                <div className="small muted" data-testid="api-response">→ {e.ok} {success ? outline(success) : 'the file'}{e.events ? ' per event' : ''}</div>
              </div>
            );
          })}
        </section>
      ))}
    </>
  );
}
