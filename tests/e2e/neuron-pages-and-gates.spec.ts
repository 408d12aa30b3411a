import { readFileSync } from 'node:fs';
import { expect, recordAndOpenNeuronView, startSmallTraining, test, uploadCorpus, warAndPeaceSlice } from './fixtures';

test('gate saturation and neuron pages: brush gate units, open one unit\'s page with its examples and histogram', async ({ page }, testInfo) => {
  await uploadCorpus(page, warAndPeaceSlice(120_000, 30_000));
  const runId = await startSmallTraining(page, { steps: 60, checkpointEvery: 60, evalEvery: 60 });
  await expect(page.getByTestId('status')).toHaveText('completed', { timeout: 120_000 });
  await recordAndOpenNeuronView(page, 20_000);
  await page.getByTestId('open-gates').click();
  await page.waitForURL(/\/recordings\/\d+\/gates/);
  // 32 cells x 3 gates in the one layer.
  await expect(page.getByTestId('gate-plot-0').getByTestId('gate-dot')).toHaveCount(96);
  await expect(page.getByTestId('gate-selection')).toContainText('Selected: 0 gate units');
  // Brush the whole plot area: every unit is selected.
  const box = await page.getByTestId('gate-plot-0').boundingBox();
  if (!box) throw new Error('no plot');
  const sx = box.width / 340;
  const sy = box.height / 320;
  await page.mouse.move(box.x + 44 * sx, box.y + 20 * sy);
  await page.mouse.down();
  await page.mouse.move(box.x + 200 * sx, box.y + 150 * sy, { steps: 5 });
  await page.mouse.move(box.x + 332 * sx, box.y + 284 * sy, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByTestId('gate-selection')).toContainText('Selected: 96 gate units');
  await expect(page.getByTestId('open-selection-match')).toHaveAttribute('href', /\/match\?layer=0&q=h&cells=0,1,2/);
  await page.screenshot({ path: testInfo.outputPath('gates.png'), fullPage: true });
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('gates-download-json').click()]);
  const points = JSON.parse(readFileSync(await json.path(), 'utf8')) as { layer: number; quantity: string; cell: number; low: number; high: number }[];
  expect(points).toHaveLength(96);
  expect(Object.keys(points[0] ?? {}).sort()).toEqual(['cell', 'high', 'layer', 'low', 'quantity']);
  // The first gate's units open in the neuron view as strips with their gate traces.
  await page.getByTestId('open-selection-neurons').first().click();
  await page.waitForURL(/\/recordings\/\d+\?layer=0&q=[ifo]&cell=0&cells=1,2,3/);
  await expect(page.getByTestId('gate-strip').first()).toBeVisible();
  // From the neuron view to that cell's page.
  await page.getByTestId('open-neuron-page').click();
  await page.waitForURL(/\/recordings\/\d+\/neuron\?layer=0&q=[ifo]&cell=0/);
  await expect(page.getByTestId('neuron-title')).toContainText('cell 0');
  await expect(page.getByTestId('neuron-histogram').locator('rect').first()).toBeVisible();
  await expect(page.getByTestId('neuron-top').getByTestId('neuron-example')).toHaveCount(8);
  await expect(page.getByTestId('neuron-bottom').getByTestId('neuron-example')).toHaveCount(8);
  await expect(page.getByTestId('neuron-saturation')).toContainText('%');
  // The hidden state's page also lists the features it correlates with.
  await page.goto(page.url().replace(/q=[ifo]/, 'q=h'));
  await expect(page.getByTestId('neuron-features').locator('tbody tr')).toHaveCount(5);
  await expect(page.getByTestId('neuron-chars-high').locator('.chip').first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('neuron-page.png'), fullPage: true });
  // An example opens the neuron view at its place.
  await page.getByTestId('neuron-top').getByTestId('neuron-example').first().click();
  await page.waitForURL(/\/recordings\/\d+\?layer=0&q=h&cell=0&offset=\d+/);
  await expect(page.getByTestId('neuron-text')).toBeVisible();

  // A states-only recording: a third of the storage, and the gate page says why it is empty.
  await page.goto(`/runs/${runId}`);
  await page.getByTestId('record-end').fill('3000');
  // 3,000 steps x 32 cells: float16 states, predictions and the c, h match index
  // (lib/search/recording-size.ts, checked against the stored bytes in a unit test).
  await expect(page.getByTestId('record-size')).toContainText('about 1.8 MB with the match index (c, h only: 1.1 MB');
  await page.getByTestId('record-gates').uncheck();
  await expect(page.getByTestId('record-size')).toContainText('about 1.1 MB with the match index (with i, f, o, g: 1.8 MB)');
  await page.getByTestId('record-button').click();
  const listed = page.locator('[data-testid^="recording-quantities-"]').filter({ hasText: /^c h$/ });
  await expect(listed).toHaveCount(1);
  const statesOnly = Number((await listed.getAttribute('data-testid'))?.split('-').pop());
  await expect(page.getByTestId(`open-recording-${statesOnly}`)).toBeVisible({ timeout: 120_000 });
  await page.goto(`/recordings/${statesOnly}/gates`);
  await expect(page.getByTestId('no-gates')).toContainText('stores only the states (c, h), not the gates');
});
