import { expect, shakespeareSlice, startSmallTraining, test, uploadCorpus } from './fixtures';

test('dynamics: the gradient flow of a tanh RNN against an LSTM in one chart, and the spectra of their recurrent matrices over training', async ({ page }, testInfo) => {
  const corpusId = await uploadCorpus(page, shakespeareSlice(40_000));
  const lstm = await startSmallTraining(page, { steps: 30, checkpointEvery: 15, evalEvery: 15 });
  await expect(page.getByTestId('status')).toHaveText('completed', { timeout: 120_000 });
  await page.goto(`/corpora/${corpusId}`);
  const rnn = await startSmallTraining(page, { steps: 30, checkpointEvery: 15, evalEvery: 15 }, 'rnn');
  await expect(page.getByTestId('status')).toHaveText('completed', { timeout: 120_000 });
  await page.getByTestId('open-dynamics').click();
  await page.waitForURL(new RegExp(`/runs/${rnn}/dynamics`));
  // The RNN's flow, then the LSTM's beside it: h for the RNN, h and c for the LSTM.
  await expect(page.getByTestId('flow-series')).toHaveCount(1, { timeout: 60_000 });
  await page.getByTestId(`flow-compare-${lstm}`).check();
  await expect(page.getByTestId('flow-series')).toHaveCount(3, { timeout: 60_000 });
  await expect(page).toHaveURL(new RegExp(`compare=${lstm}`));
  await expect(page.getByTestId('flow-chart')).toContainText('LSTM');
  // The spectrum of the RNN's W_h: 32 eigenvalues and 32 discs, around the unit circle.
  await expect(page.getByTestId('spectrum-caption')).toContainText('W_h');
  const recurrent = page.getByTestId('spectrum-layer');
  await expect(recurrent.getByTestId('spectrum-eigenvalue')).toHaveCount(32);
  await expect(recurrent.getByTestId('spectrum-disc')).toHaveCount(32);
  // The state Jacobian along the text: one shade per character, spectra where it holds and lets go.
  await expect(page.getByTestId('radius-char')).toHaveCount(100, { timeout: 60_000 });
  await expect(page.getByTestId('jacobian-spectrum').first().getByTestId('spectrum-eigenvalue')).toHaveCount(32);
  await page.screenshot({ path: testInfo.outputPath('dynamics-rnn-vs-lstm.png'), fullPage: true });
  // Back to the first checkpoint with the scrubber: the page follows, its URL too.
  const radiusNow = await page.getByTestId('spectrum-caption').textContent();
  await page.getByTestId('checkpoint-scrubber').fill('0');
  await expect(page).toHaveURL(/checkpoint=\d+/);
  await expect(page.getByTestId('spectrum-caption')).not.toHaveText(radiusNow ?? '', { timeout: 30_000 });
  // The LSTM's own page: its U_g spectrum.
  await page.goto(`/runs/${lstm}/dynamics`);
  await expect(page.getByTestId('spectrum-caption')).toContainText('U_g');
  await expect(page.getByTestId('flow-series')).toHaveCount(2, { timeout: 60_000 });
  // Its fixed points under a space, with the trajectory in the principal plane.
  await expect(page.getByTestId('fixed-point-summary')).toContainText('slow points from 32 starts', { timeout: 60_000 });
  await expect(page.getByTestId('fixed-point-plot')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('dynamics-lstm.png'), fullPage: true });
});
