import { expect, firstLineBackgrounds, recordAndOpenNeuronView, shakespeareSlice, startSmallTraining, test, uploadCorpus } from './fixtures';

test('a GRU trains, records and shows its update gate in the neuron view', async ({ page }, testInfo) => {
  await uploadCorpus(page, shakespeareSlice(30_000));
  await startSmallTraining(page, { steps: 20, checkpointEvery: 20, evalEvery: 20 }, 'gru');
  await expect(page.getByTestId('run-title')).toContainText('GRU 1x32');
  await expect(page.getByTestId('status')).toHaveText('completed', { timeout: 120_000 });
  await recordAndOpenNeuronView(page, 5000);
  // A GRU records h and its gates z, r, n: the picker offers exactly those.
  await expect(page.getByTestId('pick-quantity').locator('option')).toHaveText([/^h /, /^z /, /^r /, /^n /]);
  await page.getByTestId('pick-quantity').selectOption('z');
  await expect(page.getByTestId('view-caption')).toContainText('update gate z');
  await expect(page).toHaveURL(/q=z/);
  const backgrounds = await firstLineBackgrounds(page);
  expect(new Set(backgrounds).size).toBeGreaterThan(5);
  await page.screenshot({ path: testInfo.outputPath('gru-update-gate.png') });
});

test('an RHN of depth 2 trains and shows its transform gates in the neuron view', async ({ page }) => {
  await uploadCorpus(page, shakespeareSlice(30_000));
  await page.getByTestId('train-arch').selectOption('rhn');
  await page.getByTestId('train-depth').fill('2');
  await startSmallTraining(page, { steps: 20, checkpointEvery: 20, evalEvery: 20 }, 'rhn');
  await expect(page.getByTestId('run-title')).toContainText('RHN 1x32');
  await expect(page.getByTestId('status')).toHaveText('completed', { timeout: 120_000 });
  await recordAndOpenNeuronView(page, 5000);
  await expect(page.getByTestId('pick-quantity').locator('option')).toHaveText([/^h /, /^t0 /, /^t1 /]);
  await page.getByTestId('pick-quantity').selectOption('t1');
  await expect(page.getByTestId('view-caption')).toContainText('transform gate, micro-layer 2');
  const backgrounds = await firstLineBackgrounds(page);
  expect(new Set(backgrounds).size).toBeGreaterThan(3);
});
