/**
 * The views' GET helper: the JSON body, or an Error carrying the API's own message
 * ({"error": ...}) so a view can show why a request was refused.
 */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  const body = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(body.error ?? `request failed (${res.status})`);
  return body;
}
