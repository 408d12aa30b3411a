import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { expect, shakespeareSlice, test } from './fixtures';

// Issue 11, shared mode: two users in two browser contexts on a CELLSCOPE_AUTH=on server. A
// private recording is a 404 to the other; sharing makes it visible, read-only; a read token
// cannot upload. And local mode (the main e2e server) needs no login.
const PORT = Number(process.env.E2E_SHARED_PORT ?? 3109);
const BASE = `http://127.0.0.1:${PORT}`;
const TOKENS = join(tmpdir(), `cellscope-e2e-shared-tokens-${process.pid}.json`);
let server: ChildProcess | undefined;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  rmSync(TOKENS, { force: true });
  server = spawn(process.execPath, ['--import', 'tsx', 'tests/e2e/serve-shared.ts', String(PORT), TOKENS], { stdio: 'inherit' });
  for (let t = 0; ; t++) {
    const up = await fetch(`${BASE}/api/session`).then((r) => r.ok, () => false);
    if (up) break;
    if (t > 600) throw new Error('the shared server did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
});
test.afterAll(() => {
  server?.kill('SIGTERM');
});

async function logIn(browser: Browser, name: 'ada' | 'bob' | 'root'): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await page.getByTestId('login-email').fill(`${name}@lab.example`);
  await page.getByTestId('login-password').fill(`${name}'s long passphrase`);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('logged-in-as')).toContainText(`${name}@lab.example`);
  return page;
}

async function until(request: APIRequestContext, path: string, done: (body: Record<string, { status?: string }>) => boolean): Promise<void> {
  await expect.poll(async () => done((await (await request.get(path)).json()) as Record<string, { status?: string }>), { timeout: 150_000, intervals: [500] }).toBe(true);
}

test('two users: a private recording is a 404 to the other, sharing shows it read-only, a read token cannot upload', async ({ browser }, testInfo) => {
  test.setTimeout(300_000);
  const ada = await logIn(browser, 'ada');
  const bob = await logIn(browser, 'bob');
  await bob.goto('/');
  await bob.screenshot({ path: testInfo.outputPath('bob-home.png') });

  // Ada's corpus, run and recording, through the API with her browser's session.
  const file = shakespeareSlice(12_000);
  const up = await ada.request.post('/api/corpora', { multipart: { file } });
  expect(up.status()).toBe(201);
  const corpusId = ((await up.json()) as { corpus: { id: number } }).corpus.id;
  const run = await ada.request.post('/api/runs', { data: { corpusId, config: { hidden: 16, batch: 4, seq: 16, steps: 6, checkpointEvery: 6, evalEvery: 6, evalChars: 200 } } });
  expect(run.status()).toBe(201);
  const { runId } = (await run.json()) as { runId: number };
  await until(ada.request, `/api/runs/${runId}`, (b) => b.run?.status === 'completed');
  const rec = await ada.request.post('/api/recordings', { data: { runId, end: 2000 } });
  expect(rec.status()).toBe(201);
  const { recordingId } = (await rec.json()) as { recordingId: number };
  await until(ada.request, `/api/recordings/${recordingId}`, (b) => b.recording?.status === 'completed');

  // Private: Bob gets the 404 of an unknown id, on the page and in the API, and no listing.
  expect((await bob.request.get(`/api/recordings/${recordingId}`)).status()).toBe(404);
  expect((await bob.request.get(`/api/recordings/${recordingId}/window?layer=0&quantity=h&start=0&end=10`)).status()).toBe(404);
  expect(((await (await bob.request.get('/api/recordings')).json()) as { recordings: unknown[] }).recordings).toEqual([]);
  await bob.goto(`/recordings/${recordingId}`);
  await expect(bob.getByText('This page could not be found')).toBeVisible();

  // Ada shares it with Bob from the recording's page.
  await ada.goto(`/recordings/${recordingId}`);
  await ada.getByTestId('sharing-visibility').selectOption('shared');
  await ada.getByTestId('sharing-users').fill('bob@lab.example');
  await ada.getByTestId('sharing-save').click();
  await expect(ada.getByTestId('sharing-status')).toHaveText('shared with 1');
  await ada.getByTestId('sharing-panel').screenshot({ path: testInfo.outputPath('sharing-panel.png') });

  // Bob now reads it, read-only: the page says whose it is, changes are refused.
  await bob.goto(`/recordings/${recordingId}`);
  await expect(bob.getByTestId('read-only-note')).toHaveText('Shared with you by ada@lab.example: read-only.');
  await expect(bob.getByTestId('sharing-panel')).toHaveCount(0);
  await expect(bob.getByTestId('neuron-text').locator('.nt-ch').first()).toBeVisible();
  await bob.screenshot({ path: testInfo.outputPath('bob-shared-recording.png') });
  expect((await bob.request.get(`/api/recordings/${recordingId}/window?layer=0&quantity=h&start=0&end=10`)).status()).toBe(200);
  expect((await bob.request.delete(`/api/recordings/${recordingId}`)).status()).toBe(403);
  expect((await bob.request.get(`/api/runs/${runId}`)).status()).toBe(404); // the run itself stays private

  // Public: listed to every logged-in user, with whose it is.
  expect((await ada.request.post(`/api/corpora/${corpusId}/sharing`, { data: { visibility: 'public' } })).status()).toBe(200);
  await bob.goto('/');
  await expect(bob.getByTestId('owner-tag')).toHaveText(' · by ada@lab.example');
  await bob.screenshot({ path: testInfo.outputPath('bob-home-public-corpus.png') });

  // A read-scoped token reads, and cannot upload.
  const tokens = JSON.parse(readFileSync(TOKENS, 'utf8')) as { bobRead: string };
  const auth = { authorization: `Bearer ${tokens.bobRead}` };
  const context = await browser.newContext({ baseURL: BASE });
  expect((await context.request.get(`/api/recordings/${recordingId}`, { headers: auth })).status()).toBe(200);
  const refused = await context.request.post('/api/corpora', { headers: auth, multipart: { file } });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { kind: string }).kind).toBe('forbidden');
  expect((await context.request.get('/api/runs')).status()).toBe(401); // no credentials
});

test('the login form says what went wrong; the admin sees every user\'s storage and jobs and cancels one; others get a 404', async ({ browser }, testInfo) => {
  test.setTimeout(240_000);
  const context = await browser.newContext({ baseURL: BASE });
  const page = await context.newPage();
  await page.goto('/runs');
  await page.getByTestId('login-email').fill('root@lab.example');
  await page.getByTestId('login-password').fill('not the passphrase');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toHaveText('wrong e-mail or password');
  await page.screenshot({ path: testInfo.outputPath('login-form-refused.png') });

  // Bob starts a long training run; the admin finds it on the admin page and cancels it.
  const bob = await logIn(browser, 'bob');
  const up = await bob.request.post('/api/corpora', { multipart: { file: shakespeareSlice(12_000) } });
  const corpusId = ((await up.json()) as { corpus: { id: number } }).corpus.id;
  const run = await bob.request.post('/api/runs', { data: { corpusId, config: { hidden: 16, batch: 4, seq: 16, steps: 1_000_000, checkpointEvery: 100_000, evalEvery: 100_000, evalChars: 200 } } });
  expect(run.status()).toBe(201);
  const { jobId } = (await run.json()) as { jobId: number };
  expect((await bob.request.get('/api/admin')).status()).toBe(404);
  await bob.goto('/admin');
  await expect(bob.getByText('This page could not be found')).toBeVisible();

  const root = await logIn(browser, 'root');
  await root.goto('/admin');
  await expect(root.getByRole('link', { name: 'Admin' })).toBeVisible();
  const users = root.getByTestId('admin-users');
  for (const who of ['ada@lab.example', 'bob@lab.example', 'root@lab.example (admin)']) await expect(users).toContainText(who);
  await expect(users.locator('tr', { hasText: 'bob@lab.example' })).toContainText('1 / 8');
  const job = root.getByTestId('admin-jobs').locator('tr', { hasText: `#${jobId} train` });
  await expect(job).toContainText('bob@lab.example');
  await root.screenshot({ path: testInfo.outputPath('admin-page.png'), fullPage: true });
  await root.getByTestId(`admin-cancel-${jobId}`).click();
  await expect(root.getByTestId('admin-jobs')).toHaveCount(0, { timeout: 60_000 });
  await expect(root.getByText('None.')).toBeVisible();
  const cancelled = (await (await bob.request.get(`/api/jobs/${jobId}`)).json()) as { job: { status: string } };
  expect(cancelled.job.status).toBe('cancelled');
});

test('local mode needs no login', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Runs' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Log in' })).toHaveCount(0);
  await expect(page.getByTestId('logged-in-as')).toHaveCount(0);
  expect((await page.request.get('/api/session')).status()).toBe(200);
});
