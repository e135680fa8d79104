/**
 * The site on the ml-latest-small catalog (what `npm start -- --dataset ml-latest-small` serves): searching
 * "Matrix" finds "Matrix, The (1999)", a 4.5-star rating given by keyboard alone updates the list, and the
 * status panel names the data set and its half-star scale.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { launchChromium } from './browser.ts';
import { listSettled, recommendedIds, searchPicker } from './site-page.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium('none');
});
afterAll(async () => {
  await browser?.close();
});

test('search "Matrix", rate it 4.5 stars by keyboard, and the list and the status follow', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(inject('latestSiteUrl'));
  await listSettled(page);
  const before = await recommendedIds(page);

  // The search's answer, not the most-rated list it replaces (where The Matrix is listed too).
  await expect.poll(async () => page.locator('cinesage-movie-picker li').count()).toBeGreaterThan(0);
  await searchPicker(page, 'Matrix');
  const row = page.locator('cinesage-movie-picker li').filter({ hasText: 'Matrix, The (1999)' }).first();
  await row.waitFor();
  // Keyboard only: Tab into the row's star group, End = 5 stars, ArrowLeft = half a star less.
  await row.getByRole('radio').first().focus();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await expect
    .poll(() => row.getByRole('radio', { name: /^4\.5 stars for / }).getAttribute('aria-checked'))
    .toBe('true');

  await expect.poll(async () => (await recommendedIds(page)).join(','), { timeout: 30_000 }).not.toBe(before.join(','));
  const status = page.locator('cinesage-status-panel');
  await status.getByText(/weights · ml-latest-small/).waitFor();
  expect(await status.locator('[data-field="catalog"]').innerText()).toMatch(/9,742 movies .* half stars/);
  expect(errors).toEqual([]);
  await context.close();
}, 180_000);
