import { expect, test } from '@playwright/test';

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
