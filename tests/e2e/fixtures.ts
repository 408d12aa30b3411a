import { test as base, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A slice of tiny Shakespeare (from ../shared/corpora) as an upload. */
export function shakespeareSlice(chars: number): { name: string; mimeType: string; buffer: Buffer } {
  const text = readFileSync(join(process.cwd(), '..', 'shared', 'corpora', 'tinyshakespeare.txt'), 'utf8').slice(0, chars);
  return { name: `shakespeare-${chars}.txt`, mimeType: 'text/plain', buffer: Buffer.from(text, 'utf8') };
}

/** A slice of War and Peace (from ../shared/corpora), rich in quoted speech, as an upload. */
export function warAndPeaceSlice(from: number, chars: number): { name: string; mimeType: string; buffer: Buffer } {
  const text = readFileSync(join(process.cwd(), '..', 'shared', 'corpora', 'war_and_peace.txt'), 'utf8').slice(from, from + chars);
  return { name: `war-and-peace-${from}-${chars}.txt`, mimeType: 'text/plain', buffer: Buffer.from(text, 'utf8') };
}

/** Uploads a corpus through the home page's drop zone (its file input) and lands on its page. */
export async function uploadCorpus(page: Page, file: { name: string; mimeType: string; buffer: Buffer }): Promise<number> {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(file);
  await page.waitForURL(/\/corpora\/\d+$/);
  return Number(page.url().split('/').pop());
}

/** Fills the training form on a corpus page with a small, fast configuration and starts it. */
export async function startSmallTraining(page: Page, overrides: Record<string, number> = {}, arch = 'lstm'): Promise<number> {
  const config = { hidden: 32, steps: 40, batch: 16, seq: 32, checkpointEvery: 20, evalEvery: 20, ...overrides };
  await page.getByTestId('train-arch').selectOption(arch);
  for (const [k, v] of Object.entries(config)) await page.getByTestId(`train-${k}`).fill(String(v));
  await page.getByTestId('start-training').click();
  await page.waitForURL(/\/runs\/\d+$/);
  return Number(page.url().split('/').pop());
}

/** On a run page: records characters [0, end), waits for it, and opens the neuron view. */
export async function recordAndOpenNeuronView(page: Page, end: number): Promise<void> {
  await page.getByTestId('record-end').fill(String(end));
  await page.getByTestId('record-button').click();
  const open = page.locator('[data-testid^="open-recording-"]').first();
  await expect(open).toBeVisible({ timeout: 120_000 });
  await open.click();
  await page.waitForURL(/\/recordings\/\d+/);
}

/** The background colours of the first line's first characters (to see that a cell is drawn). */
export async function firstLineBackgrounds(page: Page, count = 60): Promise<string[]> {
  const chars = page.getByTestId('neuron-text').locator('.nt-row').first().locator('.nt-ch');
  await expect(chars.first()).toBeVisible();
  return chars.evaluateAll((els, n) => els.slice(0, n).map((e) => getComputedStyle(e).backgroundColor), count);
}

export const test = base;
export { expect };
