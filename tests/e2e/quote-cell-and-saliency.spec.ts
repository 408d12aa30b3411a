import { readFileSync } from 'node:fs';
import { expect, recordAndOpenNeuronView, startSmallTraining, test, uploadCorpus, warAndPeaceSlice } from './fixtures';

test('quote cell and saliency: rank cells by "inside quotes", open the top one with the feature under the text, then explain a prediction', async ({ page }, testInfo) => {
  await uploadCorpus(page, warAndPeaceSlice(60_000, 30_000));
  await startSmallTraining(page, { steps: 60, checkpointEvery: 60, evalEvery: 60 });
  await expect(page.getByTestId('status')).toHaveText('completed', { timeout: 120_000 });
  // Saliency of the first 2,000 predictions is stored with the recording.
  await page.getByTestId('record-saliency').check();
  await page.getByTestId('record-saliency-start').fill('0');
  await page.getByTestId('record-saliency-end').fill('2000');
  await recordAndOpenNeuronView(page, 20_000);
  const recordingUrl = page.url();
  await page.getByTestId('open-cells').click();
  await page.waitForURL(/\/recordings\/\d+\/cells/);
  await page.getByTestId('finder-feature').selectOption('quote');
  await page.getByTestId('finder-run').click();
  await expect(page.getByTestId('finder-summary')).toContainText('AUC of each cell for "inside quotes"');
  const top = (await page.getByTestId('finder-row').first().locator('td').first().textContent()) ?? '';
  const [, layer, quantity, cell] = top.match(/layer (\d+) (\w+) #(\d+)/) ?? [];
  await page.getByTestId('finder-row').first().click();
  await page.waitForURL(new RegExp(`/recordings/\\d+\\?.*cell=${cell}.*feature=quote`));
  // The neuron view shows that cell, with the quote track drawn under every line.
  await expect(page.getByTestId('view-caption')).toContainText(`Layer ${layer}`);
  await expect(page.getByTestId('view-caption')).toContainText(`cell ${cell}`);
  await expect(page.getByTestId('pick-quantity')).toHaveValue(quantity ?? '');
  await expect(page.getByTestId('strip-legend')).toContainText('inside quotes');
  await expect(page.getByTestId('feature-strip').first()).toBeVisible();
  // Some character of the window is inside quotes: its strip cell is drawn green, not transparent.
  const greens = await page.getByTestId('feature-strip').locator('.nt-ch').evaluateAll((els) => els.filter((e) => getComputedStyle(e).backgroundColor === 'rgb(47, 158, 68)').length);
  expect(greens).toBeGreaterThan(0);
  // Gate traces of the same cell under the text.
  await page.getByTestId('toggle-gates').check();
  await expect(page.getByTestId('gate-strip')).toHaveCount(3 * (await page.locator('.nt-line').count()));
  await page.screenshot({ path: testInfo.outputPath('neuron-quote-feature.png'), fullPage: true });
  // The view as drawn exports as a figure: the characters on the cell's colours with the strips.
  const [fig] = await Promise.all([page.waitForEvent('download'), page.getByTestId('neuron-figure-svg').click()]);
  const svgText = readFileSync(await fig.path(), 'utf8');
  expect(svgText).toMatch(/^<svg xmlns/);
  expect(svgText).toContain('under each line: quote');

  // Clicking a character explains the prediction after it.
  // (The 300th character of the window: far enough in for a full 64-character window.)
  await page.getByTestId('neuron-text').locator('.nt-line > .nt-row:first-child > .nt-ch').nth(300).click();
  await page.waitForURL(/\/recordings\/\d+\/saliency\?pos=300/);
  await expect(page.getByTestId('saliency-char')).toHaveCount(64);
  await expect(page.getByTestId('saliency-target')).toBeVisible();
  await expect(page.getByTestId('saliency-caption')).toContainText('the true next character');
  await expect(page.getByTestId('saliency-source')).toHaveText('stored with the recording');
  await expect(page.getByTestId('decay-caption')).toContainText('1,937 positions whose saliency is stored');
  await expect(page.getByTestId('saliency-bars').locator('rect')).toHaveCount(64);
  await expect(page.getByTestId('saliency-decay').locator('path')).toHaveCount(2, { timeout: 60_000 });
  await page.getByTestId('mode-gxi').check();
  await expect(page).toHaveURL(/mode=gxi/);
  await page.getByTestId('saliency-log').check();
  await expect(page).toHaveURL(/log=1/);
  await page.screenshot({ path: testInfo.outputPath('saliency.png'), fullPage: true });
  // The saliency map downloads as CSV (one row per input) and its bars as SVG.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('saliency-download-csv').click()]);
  const csvText = readFileSync(await csv.path(), 'utf8');
  expect(csvText.split('\n')[0]).toBe('pos,char,grad,gradXInput');
  expect(csv.suggestedFilename()).toMatch(/^recording\d+-saliency-300-w64\.csv$/);
  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('decay-figure-svg').click()]);
  expect(readFileSync(await svg.path(), 'utf8')).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('decay-figure-png').click()]);
  expect(readFileSync(await png.path()).subarray(1, 4).toString()).toBe('PNG');
  // A smaller window, then a target outside the vocabulary: a clear error.
  await page.getByTestId('saliency-window').selectOption('16');
  await expect(page.getByTestId('saliency-char')).toHaveCount(16);
  await page.getByTestId('saliency-target-input').fill('ж');
  await page.getByTestId('saliency-go').click();
  await expect(page.getByTestId('saliency-error')).toContainText("not in the model's vocabulary");
  expect(recordingUrl).toMatch(/\/recordings\/\d+/);
});
