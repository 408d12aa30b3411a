import { hostnameOf, isLoopbackHost, type Env } from '../http/request-guard.ts';

/**
 * Where `npm start` / `cellscope serve` listen: loopback (127.0.0.1) unless --host or HOST says
 * otherwise. Anything else would open the app, which has no login in local mode, to the network:
 * a non-loopback host needs CELLSCOPE_AUTH=on (shared mode), and otherwise the server refuses to
 * start, saying why.
 */
export function resolveListenHost(opts: { host?: string | undefined; env?: Env } = {}): string {
  const env = opts.env ?? process.env;
  const host = (opts.host ?? env.HOST ?? '').trim() || '127.0.0.1';
  if (!/^[\w.:[\]-]+$/.test(host)) throw new Error(`--host must be a host name or address, got ${JSON.stringify(host)}`);
  if (isLoopbackHost(hostnameOf(host))) return host;
  if (env.CELLSCOPE_AUTH !== 'on') {
    throw new Error(`refusing to listen on ${host}: without CELLSCOPE_AUTH=on Cellscope has no login, and anyone who can reach ${host} could read and change everything. Listen on 127.0.0.1 (the default), or set CELLSCOPE_AUTH=on for a shared server.`);
  }
  // The Host check (request-guard.ts) serves loopback names only unless told the names people use.
  if (!(env.CELLSCOPE_ALLOWED_HOSTS ?? '').trim()) {
    throw new Error(`listening on ${host} in shared mode needs CELLSCOPE_ALLOWED_HOSTS: the host names (or addresses) your lab will open, e.g. CELLSCOPE_ALLOWED_HOSTS=cellscope.lab.example; any other Host header is refused`);
  }
  return host;
}
