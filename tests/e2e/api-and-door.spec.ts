import { expect, shakespeareSlice, startSmallTraining, test, uploadCorpus } from './fixtures';

// Issue 11: the API reference and its OpenAPI document; the door of a local server.
test('the API reference page and /api/openapi.json describe the same routes', async ({ page, request }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'API' }).click();
  await expect(page.getByRole('heading', { name: 'HTTP API' })).toBeVisible();
  await expect(page.getByTestId('api-recordings')).toContainText('GET /api/recordings/{id}/window');
  await expect(page.getByTestId('api-recordings')).toContainText('cells?');
  await page.screenshot({ path: 'test-results/api-docs.png', fullPage: false });
  const doc = await (await request.get('/api/openapi.json')).json();
  expect(doc.openapi).toBe('3.1.0');
  expect(Object.keys(doc.paths)).toContain('/api/recordings/{id}/match');
});

test('a local server answers loopback names only, refuses a foreign page\'s POST and a text/plain body', async ({ request }) => {
  const rebound = await request.get('/api/runs', { headers: { Host: 'evil.example' } });
  expect(rebound.status()).toBe(403);
  const forged = await request.post('/api/runs', { headers: { Origin: 'http://evil.example', 'Content-Type': 'text/plain' }, data: '{"corpusId": 1}' });
  expect(forged.status()).toBe(403);
  const plain = await request.post('/api/runs', { headers: { 'Content-Type': 'text/plain' }, data: '{"corpusId": 1}' });
  expect(plain.status()).toBe(415);
  expect((await plain.json()).kind).toBe('unsupported_media_type');
  const runs = await request.get('/api/runs');
  expect(runs.status()).toBe(200);
});

test('a finished recording is deleted from its run page, with everything stored for it', async ({ page, request }, testInfo) => {
  await uploadCorpus(page, shakespeareSlice(20_000));
  const runId = await startSmallTraining(page, { steps: 10, checkpointEvery: 10, evalEvery: 10 });
  await expect(page.getByTestId('status')).toHaveText('completed', { timeout: 120_000 });
  await page.getByTestId('record-end').fill('3000');
  await page.getByTestId('record-button').click();
  const open = page.locator('[data-testid^="open-recording-"]').first();
  await expect(open).toBeVisible({ timeout: 120_000 });
  const recordingId = Number((await open.getAttribute('data-testid'))?.split('-').pop());
  // The row is drawn again when its job's stream ends (router.refresh): retry the screenshot
  // until it is taken of a settled row, rather than of one replaced mid-capture.
  await expect(page.getByTestId(`delete-recording-${recordingId}`)).toBeVisible();
  await expect(async () => {
    await page.getByTestId(`recording-${recordingId}`).screenshot({ path: testInfo.outputPath('recording-row.png'), timeout: 2000 });
  }).toPass({ timeout: 20_000 });
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId(`delete-recording-${recordingId}`).click();
  await expect(page.getByTestId(`recording-${recordingId}`)).toHaveCount(0);
  expect((await request.get(`/api/recordings/${recordingId}`)).status()).toBe(404);
  expect((await request.get(`/api/runs/${runId}`)).status()).toBe(200);
});
