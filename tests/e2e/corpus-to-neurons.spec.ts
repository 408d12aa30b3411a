import { expect, recordAndOpenNeuronView, shakespeareSlice, startSmallTraining, test, uploadCorpus } from './fixtures';

test('upload a corpus, train watching the progress bar, record, and see a cell fire in the neuron view', async ({ page }, testInfo) => {
  await uploadCorpus(page, shakespeareSlice(60_000));
  await expect(page.getByTestId('corpus-title')).toHaveText('shakespeare-60000.txt');

  await startSmallTraining(page);
  const bar = page.getByRole('progressbar', { name: 'training progress' });
  await expect(bar).toBeVisible();
  await expect(page.getByTestId('status')).toHaveText('completed', { timeout: 120_000 });
  await expect(bar).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('val-bpc')).not.toHaveText('–');
  await expect(page.getByTestId('loss-chart').locator('path').first()).toHaveAttribute('d', /M.+L/);
  await expect(page.getByTestId('checkpoints-table').locator('tbody tr')).toHaveCount(2);

  // Sample from the checkpoint.
  await page.getByTestId('sample-button').click();
  await expect(page.getByTestId('sample-text')).not.toBeEmpty();

  // Record the first 20,000 characters and open the neuron view.
  await recordAndOpenNeuronView(page, 20_000);

  // Pick cell 5 of the cell state, and step to 6 with the keyboard.
  await page.getByTestId('pick-cell').fill('5');
  await expect(page.getByTestId('view-caption')).toContainText('cell 5');
  await page.getByTestId('pick-cell').blur();
  await page.keyboard.press(']');
  await expect(page.getByTestId('view-caption')).toContainText('cell 6');
  await expect(page).toHaveURL(/cell=6/);

  // The text is coloured: characters carry activation backgrounds, and hovering shows the value.
  const chars = page.getByTestId('neuron-text').locator('.nt-row').first().locator('.nt-ch');
  await expect(chars.first()).toBeVisible();
  const backgrounds = await chars.evaluateAll((els) => els.slice(0, 60).map((e) => getComputedStyle(e).backgroundColor));
  expect(new Set(backgrounds).size).toBeGreaterThan(5);
  await chars.nth(10).hover();
  await expect(page.getByTestId('neuron-tooltip')).toContainText('L0 c[6]');
  await expect(page.getByTestId('neuron-tooltip')).toContainText('next:');

  await page.screenshot({ path: testInfo.outputPath('neuron-view.png'), fullPage: false });

  // The URL reproduces the view.
  await page.reload();
  await expect(page.getByTestId('view-caption')).toContainText('cell 6');

  // Find text jumps to it.
  await page.getByTestId('search-text').fill('Citizen');
  await page.getByTestId('search-button').click();
  await expect(page.locator('.nt-ch.hover').first()).toBeVisible();
});

test('a binary file dropped on the upload zone is refused with a clear message and nothing is stored', async ({ page }) => {
  await page.goto('/');
  const before = await page.request.get('/api/corpora').then((r) => r.json() as Promise<{ corpora: unknown[] }>);
  // Dropped on the drop zone, as a user would drag it there.
  const dataTransfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00])], 'image.png', { type: 'image/png' }));
    return dt;
  });
  await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer });
  await expect(page.getByTestId('upload-error')).toContainText('binary');
  const after = await page.request.get('/api/corpora').then((r) => r.json() as Promise<{ corpora: unknown[] }>);
  expect(after.corpora.length).toBe(before.corpora.length);
});

test('a training run can be cancelled from its page', async ({ page }) => {
  await uploadCorpus(page, shakespeareSlice(40_000));
  await startSmallTraining(page, { steps: 5000, checkpointEvery: 1000, evalEvery: 1000 });
  await expect(page.getByTestId('status')).toHaveText('running', { timeout: 60_000 });
  await page.getByTestId('cancel-run').click();
  await expect(page.getByTestId('status')).toHaveText('cancelled', { timeout: 60_000 });
});
