// A second server for the two-user journeys: shared mode (CELLSCOPE_AUTH=on) on its own fresh
// SQLite database, with two accounts and their API tokens, and an admin, made first, as an admin would from
// the CLI; the tokens are written to the JSON file named by argv[3]. Uses the build the main
// e2e server made.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [port, tokensFile] = [Number(process.argv[2]), process.argv[3] as string];
process.env.DATABASE_URL = `file:${join(mkdtempSync(join(tmpdir(), 'cellscope-e2e-shared-')), 'shared.db')}`;
process.env.CELLSCOPE_DEMO = '0';
// Every answer is checked against its contract (lib/http/respond.ts): drift fails the journey.
process.env.CELLSCOPE_CHECK_RESPONSES = '1';
process.env.CELLSCOPE_AUTH = 'on';
const { getDb } = await import('../../lib/db/client.ts');
const { addUser } = await import('../../lib/auth/users.ts');
const { createApiToken } = await import('../../lib/auth/tokens.ts');
const db = await getDb();
const tokens: Record<string, string> = {};
for (const name of ['ada', 'bob']) {
  await addUser(db, { email: `${name}@lab.example`, password: `${name}'s long passphrase` });
  tokens[`${name}Read`] = (await createApiToken(db, { email: `${name}@lab.example`, scope: 'read' })).token;
}
// The lab's admin, who sees everyone's storage and jobs at /admin.
await addUser(db, { email: 'root@lab.example', password: "root's long passphrase", isAdmin: true });
writeFileSync(tokensFile, JSON.stringify(tokens));
const { serve } = await import('../../lib/server/serve.ts');
await serve({ port, host: '127.0.0.1' });
