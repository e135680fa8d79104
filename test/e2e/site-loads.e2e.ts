import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { launchChromium } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium('none');
});
afterAll(async () => {
  await browser?.close();
});

test('the production build loads and its inference worker answers', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(inject('siteUrl'));
  await expect(page.title()).resolves.toContain('CineSage');
  const status = page.getByRole('status');
  await status.and(page.locator('[data-state="ready"]')).waitFor({ timeout: 30_000 });
  await expect(status.textContent()).resolves.toContain('worker is running');
  expect(errors).toEqual([]);
});
