// npm run bench:load: issue 11's load test, on loopback only, bounded and self-stopping.
// A real server (`npm start`'s code, a fresh SQLite database) holding a 1M-step recording of War
// and Peace by a small trained LSTM; 50 simulated users browse the views and match for 60 s
// (--users N, --seconds S); prints p50 / p95 / max per endpoint and the errors, then stops.
// --shared: the server in shared mode (CELLSCOPE_AUTH=on), the recording private to one user
// whose session cookie every request carries (pages read the cookie), so each request also pays
// the credentials and ownership checks.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const arg = (name: string, fallback: number): number => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? Number(process.argv[k + 1]) : fallback;
};
const USERS = arg('users', 50);
const SECONDS = Math.min(arg('seconds', 60), 600);
const STEPS = arg('steps', 1_000_000);
const PORT = 3000 + Math.floor(Math.random() * 1000) + 5000;
const SHARED = process.argv.includes('--shared');

const dir = mkdtempSync(join(tmpdir(), 'cellscope-load-'));
process.env.DATABASE_URL = `file:${join(dir, 'load.db')}`;
process.env.CELLSCOPE_DEMO = '0';

const { openDb } = await import('../../lib/db/client.ts');
const { trainedRun, recordedRange } = await import('../helpers/recorded-run.ts');
const db = await openDb(process.env.DATABASE_URL);
const book = readFileSync(join(process.cwd(), '..', 'shared', 'corpora', 'war_and_peace.txt'), 'utf8');
const t0 = Date.now();
const { runId } = await trainedRun(db, book, { hidden: 64, batch: 32, seq: 64, steps: 60, checkpointEvery: 60, evalEvery: 60, evalChars: 2000 });
const recordingId = await recordedRange(db, { runId, start: 0, end: Math.min(STEPS, book.length), gates: false });
const rec = await db.prisma.recording.findUniqueOrThrow({ where: { id: recordingId } });
const headers: Record<string, string> = {};
const LOGIN = { email: 'load@lab.example', password: 'a long load-test passphrase' };
if (SHARED) {
  const { addUser } = await import('../../lib/auth/users.ts');
  const { adoptUnowned } = await import('../../lib/auth/adopt.ts');
  await addUser(db, { email: LOGIN.email, password: LOGIN.password });
  await adoptUnowned(db, LOGIN.email);
}
await db.close();
console.log(`recording ${recordingId}: ${(rec.end - rec.start).toLocaleString('en-US')} steps × ${rec.hidden} cells (c, h), made in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

// The server, as `npm start` runs it (it builds the app first when the build is stale).
const server = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env: { ...process.env, PORT: String(PORT), ...(SHARED ? { CELLSCOPE_AUTH: 'on' } : {}) }, stdio: ['ignore', 'pipe', 'inherit'] });
const base = `http://127.0.0.1:${PORT}`;
const until = Date.now() + 300_000;
for (;;) {
  try {
    if ((await fetch(`${base}/api/session`)).ok) break;
  } catch {
    // not up yet
  }
  if (Date.now() > until) throw new Error('the server did not start within 5 minutes');
  await new Promise((r) => setTimeout(r, 500));
}

if (SHARED) {
  const login = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(LOGIN) });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  headers.cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

const T = rec.end - rec.start;
const H = rec.hidden;
const rand = (n: number): number => Math.floor(Math.random() * n);
/** What a researcher's browser asks for while exploring: the neuron view, match, the cell pages. */
const endpoints: Record<string, () => string> = {
  window: () => {
    const s = rand(T - 2000);
    return `/api/recordings/${recordingId}/window?layer=0&quantity=c&start=${s}&end=${s + 2000}&cells=${rand(H)},${rand(H)},${rand(H)}`;
  },
  text: () => {
    const s = rand(T - 2000);
    return `/api/recordings/${recordingId}/text?start=${s}&end=${s + 2000}`;
  },
  predictions: () => {
    const s = rand(T - 2000);
    return `/api/recordings/${recordingId}/predictions?start=${s}&end=${s + 2000}`;
  },
  'plot window (all cells × 80)': () => {
    const s = rand(T - 80);
    return `/api/recordings/${recordingId}/window?layer=0&quantity=h&start=${s}&end=${s + 80}`;
  },
  select: () => {
    const s = rand(T - 20);
    return `/api/recordings/${recordingId}/select?layer=0&quantity=h&start=${s}&end=${s + 8}&threshold=0.3`;
  },
  match: () => `/api/recordings/${recordingId}/match?layer=0&quantity=h&start=0&end=8&threshold=0.3&cells=${rand(H)},${rand(H)},${rand(H)}&limit=50`,
  neuron: () => `/api/recordings/${recordingId}/neuron?layer=0&quantity=c&cell=${rand(H)}`,
  'cell finder': () => `/api/recordings/${recordingId}/cells?feature=quote&limit=20`,
  'neuron view page': () => `/recordings/${recordingId}?layer=0&q=c&cell=${rand(H)}`,
};
const names = Object.keys(endpoints);
// Unloaded first: each endpoint alone, 5 times (the first warms the server's caches).
console.log(`\none request at a time (ms, 5 runs):`);
for (const name of names) {
  const runs: number[] = [];
  for (let k = 0; k < 5; k++) {
    const a = performance.now();
    const res = await fetch(base + (endpoints[name] as () => string)(), { headers });
    await res.arrayBuffer();
    runs.push(performance.now() - a);
  }
  console.log(`  ${name.padEnd(28)} ${runs.map((v) => v.toFixed(0)).join(' ')}`);
}
const latencies = new Map<string, number[]>(names.map((n) => [n, []]));
const errors = new Map<string, number>();
const stopAt = Date.now() + SECONDS * 1000;
async function user(): Promise<void> {
  while (Date.now() < stopAt) {
    const name = names[rand(names.length)] as string;
    const url = (endpoints[name] as () => string)();
    const a = performance.now();
    try {
      const res = await fetch(base + url, { headers });
      await res.arrayBuffer();
      if (!res.ok) errors.set(`${name} ${res.status}`, (errors.get(`${name} ${res.status}`) ?? 0) + 1);
    } catch (err) {
      errors.set(`${name} ${(err as Error).message}`, (errors.get(`${name} ${(err as Error).message}`) ?? 0) + 1);
    }
    latencies.get(name)?.push(performance.now() - a);
  }
}
console.log(`${USERS} users for ${SECONDS} s on ${base}${SHARED ? ' (shared mode: every request with a session cookie, on a private recording)' : ''} …`);
await Promise.all(Array.from({ length: USERS }, () => user()));

const q = (xs: number[], p: number): number => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;
let total = 0;
console.log(`\n${'endpoint'.padEnd(28)} ${'requests'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
for (const [name, xs] of latencies) {
  xs.sort((a, b) => a - b);
  total += xs.length;
  console.log(`${name.padEnd(28)} ${String(xs.length).padStart(8)} ${q(xs, 0.5).toFixed(1).padStart(8)} ${q(xs, 0.95).toFixed(1).padStart(8)} ${(xs.at(-1) ?? NaN).toFixed(1).padStart(8)}`);
}
console.log(`\n${total} requests in ${SECONDS} s (${(total / SECONDS).toFixed(0)}/s), errors: ${errors.size === 0 ? 'none' : JSON.stringify([...errors])}`);
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
rmSync(dir, { recursive: true, force: true });
process.exit(errors.size === 0 ? 0 : 1);
