// Serves the app for the Playwright journeys: a fresh build of the current sources and a fresh
// SQLite database in a temp folder (E2E_DATABASE_URL is written for the fixtures to read).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'cellscope-e2e-'));
process.env.DATABASE_URL = `file:${join(dir, 'e2e.db')}`;
process.env.CELLSCOPE_DEMO = '0';
// Every answer is checked against its contract (lib/http/respond.ts): drift fails the journey.
process.env.CELLSCOPE_CHECK_RESPONSES = '1';
writeFileSync(join(tmpdir(), 'cellscope-e2e-database-url'), process.env.DATABASE_URL);
const built = spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
if (built.status !== 0) process.exit(built.status ?? 1);
const { serve } = await import('../../lib/server/serve.ts');
await serve({ port: Number(process.env.PORT ?? 3107), host: '127.0.0.1' });
