import { expect, recordAndOpenNeuronView, startSmallTraining, test, uploadCorpus, warAndPeaceSlice } from './fixtures';

test('causal ranking: every cell ablated for the prediction of a quote, the top one opened and ablated in the neuron view with its effect under the text', async ({ page }, testInfo) => {
  await uploadCorpus(page, warAndPeaceSlice(60_000, 30_000));
  await startSmallTraining(page, { steps: 60, checkpointEvery: 60, evalEvery: 60 });
  await expect(page.getByTestId('status')).toHaveText('completed', { timeout: 120_000 });
  const runUrl = page.url();
  await recordAndOpenNeuronView(page, 12_000);
  await page.getByTestId('open-causal').click();
  await page.waitForURL(/\/recordings\/\d+\/causal/);
  await page.getByTestId('causal-quantity').selectOption('c');
  // (War and Peace's speech is in curly quotes: the prediction of the closing one.)
  await page.getByTestId('causal-target').fill('”');
  await page.getByTestId('causal-run').click();
  // A job on the worker; its page is a permalink.
  await page.waitForURL(/\/causal\?analysis=\d+/);
  await expect(page.getByTestId('causal-summary')).toContainText('target "”"', { timeout: 120_000 });
  await expect(page.getByTestId('causal-row')).toHaveCount(25);
  await expect(page.getByTestId('causal-dot')).toHaveCount(32);
  const permalink = page.url();
  await page.screenshot({ path: testInfo.outputPath('causal-ranking.png'), fullPage: true });
  const top = (await page.getByTestId('causal-row').first().locator('td').first().textContent()) ?? '';
  const cell = /#(\d+)/.exec(top)?.[1] ?? '';
  // The permalink shows the same ranking after a reload.
  await page.goto(permalink);
  await expect(page.getByTestId('causal-row').first().locator('td').first()).toHaveText(top);
  await expect(page.getByTestId('causal-history')).toContainText('completed');
  await expect(page.getByTestId('causal-quantity')).toHaveValue('c');
  await expect(page.getByTestId('causal-target')).toHaveValue('”');

  // The most needed cell in the neuron view, ablated over the window: the change under the text.
  await page.getByTestId('causal-row').first().click();
  await page.waitForURL(new RegExp(`/recordings/\\d+\\?.*cell=${cell}`));
  await page.getByTestId('intervene-kind').selectOption('zero');
  await expect(page).toHaveURL(/intervene=zero/);
  await expect(page.getByTestId('intervene-summary')).toContainText('bits/char over the window', { timeout: 60_000 });
  await expect(page.getByTestId('effect-legend')).toContainText('Δ ln p(true next)');
  const strips = page.getByTestId('effect-strip');
  await expect(strips.first()).toBeVisible();
  expect(await strips.count()).toBe(await page.locator('.nt-line').count());
  // Somewhere the prediction changed: a strip cell is coloured.
  const coloured = await strips.locator('.nt-ch').evaluateAll((els) => els.filter((e) => getComputedStyle(e).backgroundColor !== 'rgba(0, 0, 0, 0)').length);
  expect(coloured).toBeGreaterThan(0);
  await strips.first().locator('.nt-ch').nth(20).hover();
  await expect(page.getByTestId('neuron-tooltip')).toContainText('before:');
  await expect(page.getByTestId('neuron-tooltip')).toContainText('after:');
  await page.screenshot({ path: testInfo.outputPath('neuron-ablated.png'), fullPage: true });
  // A factor instead: applied from the form, kept in the URL.
  await page.getByTestId('intervene-kind').selectOption('scale');
  await page.getByTestId('intervene-amount').fill('3');
  await page.getByTestId('intervene-apply').click();
  await expect(page).toHaveURL(/intervene=scale%3A3|intervene=scale:3/);
  await expect(page.getByTestId('intervene-summary')).toContainText('scale:3', { timeout: 60_000 });

  // The neuron page of a top-layer h: its read-out row and a link that ablates it.
  const recordingPath = new URL(permalink).pathname.replace(/\/causal$/, '');
  await page.goto(`${recordingPath}/neuron?layer=0&q=h&cell=${cell}`);
  await expect(page.getByTestId('neuron-readout')).toContainText('pushes up');
  await page.screenshot({ path: testInfo.outputPath('neuron-page-cause.png'), fullPage: true });
  await page.getByTestId('neuron-ablate').click();
  await expect(page).toHaveURL(/intervene=zero/);
  await expect(page.getByTestId('effect-strip').first()).toBeVisible({ timeout: 60_000 });

  // Back on the run: sample with the most needed cell held high while the model writes.
  await page.goto(runUrl);
  await page.getByTestId('sample-hold-on').check();
  await page.getByTestId('sample-hold-cells').fill(cell);
  await page.getByTestId('sample-hold-set').fill('value:3');
  await page.getByTestId('sample-button').click();
  await expect(page.getByTestId('sample-text')).not.toBeEmpty({ timeout: 60_000 });

  // State patching on the run: a quote opened against not, which step's state carries it.
  await page.getByTestId('open-patch').click();
  await page.waitForURL(/\/runs\/\d+\/patch/);
  await page.getByTestId('patch-clean').fill('he said “Yes, not');
  await page.getByTestId('patch-corrupt').fill('he said, Yes, not');
  await page.getByTestId('patch-target').fill('”');
  await page.getByTestId('patch-run').click();
  await expect(page.getByTestId('patch-summary')).toContainText('after the clean text', { timeout: 60_000 });
  await expect(page).toHaveURL(/clean=/);
  // One row per layer and state (h, c of the one LSTM layer), one square per character.
  await expect(page.getByTestId('patch-cell')).toHaveCount(2 * 17);
  await page.screenshot({ path: testInfo.outputPath('state-patching.png'), fullPage: true });
  await page.reload();
  await expect(page.getByTestId('patch-cell')).toHaveCount(2 * 17, { timeout: 60_000 });
});
