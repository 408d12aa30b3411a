import { ForbiddenError } from '../errors.ts';

/**
 * The checks every request passes before a route runs, against DNS rebinding and cross-site
 * request forgery: a page on evil.example can make a browser send requests to 127.0.0.1, with
 * `Host: evil.example` (rebinding) or with its own Origin (a form or a text/plain fetch, which
 * needs no CORS preflight). So the Host must be one this server answers to, loopback by default
 * (`CELLSCOPE_ALLOWED_HOSTS` adds names), and a state-changing request from a browser must come
 * from this server's own origin. Scripts and the CLI send no Origin and are unaffected.
 */

/** Environment variables (process.env, or a test's own). */
export type Env = Readonly<Record<string, string | undefined>>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The host name of a Host header or URL host ("[::1]:3000" -> "::1", "Example.org:80" -> "example.org"). */
export function hostnameOf(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.lastIndexOf(':');
  return colon > 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Host names served besides loopback: CELLSCOPE_ALLOWED_HOSTS, comma-separated. */
export function allowedHostnames(env: Env = process.env): Set<string> {
  return new Set((env.CELLSCOPE_ALLOWED_HOSTS ?? '').split(',').map((h) => hostnameOf(h)).filter((h) => h !== ''));
}

export function isAllowedHost(host: string | null, env: Env = process.env): boolean {
  if (!host) return false;
  const name = hostnameOf(host);
  return isLoopbackHost(name) || allowedHostnames(env).has(name);
}

/** Throws a ForbiddenError saying why, or returns for a request that may go on. */
export function checkRequestOrigin(req: Request, env: Env = process.env): void {
  // Next passes the Host header; a Request made in-process (the tests) has only its URL.
  const host = req.headers.get('host') ?? new URL(req.url).host;
  if (!isAllowedHost(host, env)) {
    throw new ForbiddenError(`this server does not answer to the host ${JSON.stringify(host ?? '')}; add it to CELLSCOPE_ALLOWED_HOSTS to serve it`);
  }
  if (SAFE_METHODS.has(req.method.toUpperCase())) return;
  const origin = req.headers.get('origin');
  if (origin !== null) {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      throw new ForbiddenError(`requests from the origin ${JSON.stringify(origin)} are refused`);
    }
    if (originHost.toLowerCase() !== (host ?? '').toLowerCase()) throw new ForbiddenError(`requests from another site (${origin}) may not change anything here`);
    return;
  }
  if (req.headers.get('sec-fetch-site') === 'cross-site') throw new ForbiddenError('requests from another site may not change anything here');
}
