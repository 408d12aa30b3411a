import { expect, test } from './fixtures';

test('the memory lab trains two architectures at two gaps and plots task accuracy against the gap', async ({ page }, testInfo) => {
  await page.goto('/labs');
  await page.getByTestId('lab-gaps').fill('2, x');
  await page.getByTestId('lab-submit').click();
  await expect(page.getByTestId('lab-error')).toContainText('whole numbers');
  for (const a of ['gru', 'nprnn']) await page.getByTestId(`lab-arch-${a}`).uncheck();
  await expect(page.getByTestId('lab-arch-lstm')).toBeChecked();
  await expect(page.getByTestId('lab-arch-irnn')).toBeChecked();
  await page.getByTestId('lab-gaps').fill('2, 4');
  await page.getByTestId('lab-hidden').fill('16');
  await page.getByTestId('lab-steps').fill('15');
  await page.getByTestId('lab-submit').click();
  await expect(page).toHaveURL(/\/labs\/\d+$/);
  await expect(page.getByTestId('lab-title')).toContainText('copy task: LSTM, IRNN at gaps 2, 4');
  // The page refreshes itself until all four runs are trained and scored.
  for (const cell of ['lstm-2', 'lstm-4', 'irnn-2', 'irnn-4']) {
    await expect(page.getByTestId(`lab-cell-${cell}`)).toHaveText(/^\d+\.\d%$/, { timeout: 180_000 });
  }
  await expect(page.getByTestId('memory-series-lstm').locator('circle')).toHaveCount(2);
  await expect(page.getByTestId('memory-series-irnn').locator('circle')).toHaveCount(2);
  await page.screenshot({ path: testInfo.outputPath('memory-lab.png'), fullPage: true });
  // Each cell links to its run.
  await page.getByTestId('lab-cell-lstm-2').getByRole('link').click();
  await expect(page.getByTestId('run-title')).toContainText('LSTM on copy task, gap 2');
});
