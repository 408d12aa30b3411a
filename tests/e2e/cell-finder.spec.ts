import { expect, recordAndOpenNeuronView, shakespeareSlice, startSmallTraining, test, uploadCorpus } from './fixtures';

test('cell finder: rank the cells by line position, see the scatter, open the best cell in the neuron view', async ({ page }, testInfo) => {
  await uploadCorpus(page, shakespeareSlice(30_000));
  await startSmallTraining(page, { steps: 60, checkpointEvery: 60, evalEvery: 60 });
  await expect(page.getByTestId('status')).toHaveText('completed', { timeout: 120_000 });
  await recordAndOpenNeuronView(page, 20_000);
  await page.getByTestId('open-cells').click();
  await page.waitForURL(/\/recordings\/\d+\/cells/);
  // A bad regular expression is refused with the reason.
  await page.getByTestId('finder-feature').selectOption('regex');
  await page.getByTestId('finder-regex').fill('(unclosed');
  await page.getByTestId('finder-run').click();
  await expect(page.getByTestId('finder-error')).toContainText('invalid regular expression');
  await page.getByTestId('finder-feature').selectOption('line');
  await page.getByTestId('finder-run').click();
  await expect(page.getByTestId('finder-summary')).toContainText('correlation');
  await expect(page.getByTestId('finder-row')).toHaveCount(20);
  await expect(page.getByTestId('cell-scatter').locator('circle').first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('cell-finder.png'), fullPage: true });
  const first = ((await page.getByTestId('finder-row').first().locator('td').first().textContent()) ?? '').match(/#(\d+)/)?.[1];
  await page.getByTestId('finder-row').first().click();
  await page.waitForURL(new RegExp(`/recordings/\\d+\\?.*cell=${first}`));
});
