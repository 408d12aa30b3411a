import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLstmvisProject } from '../helpers/lstmvis-project';
import { expect, test } from './fixtures';

test('import an LSTMVis word-level project through the UI: words in the neuron view, select & match with its annotation', async ({ page }, testInfo) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'cellscope-lstmvis-e2e-')), 'project');
  const words = ['the', 'little', 'cat', 'sat', 'on', 'a', 'warm', 'mat', '.', '<eos>'];
  const T = 400;
  const H = 8;
  const ids = Array.from({ length: T }, (_, t) => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10][t % 10] as number);
  const state = (t: number, c: number): number => (c === 0 ? ((t % 10) >= 4 && (t % 10) <= 7 ? 2.5 : -2) : Math.sin(t * 0.4 + c));
  await writeLstmvisProject(dir, {
    words, ids, cells: H,
    states: { states1: Float32Array.from({ length: T * H }, (_, i) => state(Math.floor(i / H), i % H)), output1: Float32Array.from({ length: T * H }, (_, i) => 0.5 * state(Math.floor(i / H), i % H)) },
    pos: { tags: ['DET', 'ADJ', 'NOUN', 'VERB', 'ADP', 'PUNCT', 'X'], ids: ids.map((id) => [0, 1, 2, 3, 4, 0, 1, 2, 5, 6][id - 1] as number) },
  });
  await page.goto('/');
  await page.getByTestId('lstmvis-files').setInputFiles(readdirSync(dir).map((f) => join(dir, f)));
  await page.getByTestId('lstmvis-import').click();
  await expect(page.getByTestId('lstmvis-result')).toContainText('400 words, 1 layer × 8 cells · annotations: part_of_speech');
  await page.getByTestId('open-lstmvis-recording').click();
  await page.waitForURL(/\/recordings\/\d+$/);
  // Words, each as wide as it is; no prediction strip (imported states have none).
  const first = page.getByTestId('neuron-text').locator('.nt-line > .nt-row:first-child > .nt-ch');
  await expect(first.nth(1)).toHaveText('little');
  await expect(page.getByTestId('toggle-predictions')).toBeDisabled();
  await expect(page.locator('.nt-pred')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('lstmvis-neurons.png') });
  // Select & match: "on a warm mat" by cell 0, matched word by word, with the project's annotation.
  await page.getByTestId('open-match').click();
  await page.waitForURL(/\/match/);
  await page.goto(`${page.url().split('?')[0]}?layer=0&q=c&t=0.5&s=4&e=8&cells=0`);
  await page.getByTestId('run-match').click();
  await expect(page.getByTestId('match-summary')).toContainText('candidate ranges');
  await expect(page.getByTestId('match-row').first()).toContainText(/on\s*a\s*warm\s*mat/);
  await expect(page.getByTestId('tag-histogram')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('lstmvis-match.png'), fullPage: true });
});
