import { readFileSync } from 'node:fs';
import { expect, recordAndOpenNeuronView, shakespeareSlice, startSmallTraining, test, uploadCorpus } from './fixtures';

test('select & match: brush a range, drag the threshold, match over the recording, open a result', async ({ page }, testInfo) => {
  await uploadCorpus(page, shakespeareSlice(30_000));
  await startSmallTraining(page, { steps: 60, checkpointEvery: 60, evalEvery: 60 });
  await expect(page.getByTestId('status')).toHaveText('completed', { timeout: 120_000 });
  await recordAndOpenNeuronView(page, 20_000);
  await page.getByTestId('open-match').click();
  await page.waitForURL(/\/recordings\/\d+\/match/);
  const brush = page.getByTestId('plot-brush');
  await expect(brush).toBeVisible();
  // Brush characters ~2-7 of the window.
  const box = await brush.boundingBox();
  if (!box) throw new Error('no brush surface');
  const charW = box.width / 80;
  await page.mouse.move(box.x + 2.5 * charW, box.y + 20);
  await page.mouse.down();
  await page.mouse.move(box.x + 5 * charW, box.y + 30);
  await page.mouse.move(box.x + 7.5 * charW, box.y + 40);
  await page.mouse.up();
  await expect(page.getByTestId('plot-range')).toBeVisible();
  await expect(page).toHaveURL(/s=2&e=8/);
  await expect(page.getByTestId('selection-summary')).toContainText('[2, 8)');
  // Drag the threshold handle down to a lower level: the select shows it and the URL keeps it.
  await expect(page.getByTestId('match-threshold')).toHaveValue('0.3');
  const handle = page.getByTestId('threshold-handle');
  const hb = await handle.boundingBox();
  if (!hb) throw new Error('no threshold handle');
  await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
  await page.mouse.down();
  await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2 + 25, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByTestId('match-threshold')).not.toHaveValue('0.3');
  await expect(page).not.toHaveURL(/t=0\.3/);
  // Whatever the small model selects, a cell added by hand makes the match deterministic to run.
  await page.getByTestId('match-threshold').selectOption('0.1');
  await page.getByTestId('match-off-before').uncheck();
  await expect(page.getByTestId('selection-summary')).toBeVisible();
  if ((await page.getByTestId('selected-cells').locator('.chip').count()) === 0) {
    await page.getByTestId('add-cell').fill('0');
    await page.getByRole('button', { name: 'add', exact: true }).click();
  }
  await expect(page.getByTestId('selected-cells').locator('.chip').first()).toBeVisible();
  await page.getByTestId('run-match').click();
  await expect(page.getByTestId('match-summary')).toContainText('candidate ranges');
  const rows = page.getByTestId('match-row');
  await expect(rows.first()).toBeVisible();
  await expect(rows.first().getByTestId('match-strip')).toBeVisible();
  await expect(page.getByTestId('length-histogram')).toBeVisible();
  await expect(page.getByTestId('tag-histogram')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('select-and-match.png'), fullPage: true });
  // The match result downloads as JSON with the selection and its cells.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('match-download-json').click()]);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as { cells: number[]; matches: { start: number; end: number }[]; selection: { start: number } };
  expect(exported.cells.length).toBeGreaterThan(0);
  expect(exported.matches.length).toBe(await rows.count());
  // Same length as the selection: every result is 6 characters long.
  await page.getByTestId('match-same-length').check();
  await expect(page).toHaveURL(/same=1/);
  await page.getByTestId('run-match').click();
  await expect(page.getByTestId('match-summary')).toBeVisible();
  const lengths = await page.getByTestId('match-row').evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll('td')[3]?.textContent));
  await expect(page.getByTestId('match-summary')).toContainText(`${lengths.length} best of`);
  // (A barely trained model may have no 6-step run at all: then the list is empty.)
  expect(lengths.every((l) => l === '6')).toBe(true);
  await page.getByTestId('match-same-length').uncheck();
  await page.getByTestId('run-match').click();
  await expect(page.getByTestId('match-row').first()).toBeVisible();
  // A user's label track: every character of the first 20,000 labelled "early" or "late".
  const spans = [{ start: 0, end: 10_000, label: 'early' }, { start: 10_000, end: 20_000, label: 'late' }];
  await page.getByTestId('labels-file').setInputFiles({ name: 'halves.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ name: 'halves', spans })) });
  await expect(page.getByTestId('labels-note')).toContainText('added "halves" (2 labels)');
  await expect(page.getByTestId('match-track')).toHaveValue(/\d+/);
  await page.getByTestId('run-match').click();
  await expect(page.getByTestId('tag-histogram')).toContainText(/early|late/);
  // Soft mode: windows ranked by cosine similarity, best first.
  await page.getByTestId('match-mode').selectOption('soft');
  await expect(page).toHaveURL(/mode=soft/);
  await page.getByTestId('run-match').click();
  const cosines = page.getByTestId('match-cosine');
  await expect(cosines.first()).toBeVisible();
  const values = (await cosines.allTextContents()).map(Number);
  expect(values.every((v, i) => i === 0 || v <= (values[i - 1] ?? 1) + 1e-9)).toBe(true);
  await page.getByTestId('match-mode').selectOption('threshold');
  // A bad upload says what is wrong and adds nothing.
  await page.getByTestId('labels-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ name: 'bad', spans: [{ start: 0, end: 5, label: 'a' }, { start: 3, end: 8, label: 'b' }] })) });
  await expect(page.getByTestId('labels-note')).toContainText('overlaps');
  await expect(page.getByTestId('match-track').locator('option')).toHaveCount(2);
  // Opening a result moves the plot to it and makes it the selection.
  await page.getByTestId('run-match').click();
  await expect(rows.nth(1)).toBeVisible();
  const position = Number(((await rows.nth(1).locator('td').nth(2).textContent()) ?? '').replace(/,/g, ''));
  await rows.nth(1).click();
  await expect(page).toHaveURL(new RegExp(`s=${position}&`));
  await expect(page.getByTestId('selection-summary')).toContainText(`[${position.toLocaleString('en-US')},`);
});

test('select & match refuses a bad query with a clear 400', async ({ request }) => {
  const res = await request.get('/api/recordings/1/select?layer=0&quantity=i&start=0&end=5&threshold=0.3');
  expect(res.status()).toBe(400);
  expect((await res.json()).error).toMatch(/quantity/);
});
