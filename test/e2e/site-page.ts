/** Helpers that drive the site's page as a visitor does: open it, rate a movie found by search, read the list. */
import type { BrowserContext, Page } from 'playwright-core';
import { inject } from 'vitest';

/** Opens the site in a new page and waits for the first recommendations. */
export async function openSite(context: BrowserContext, query = ''): Promise<Page> {
  const page = await context.newPage();
  await page.goto(inject('siteUrl') + query);
  await page.locator('cinesage-recommendation-list li').first().waitFor({ timeout: 120_000 });
  return page;
}

export const recommendedIds = (page: Page) =>
  page
    .locator('cinesage-recommendation-list li[data-movie-id]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-movie-id')));

/** Searches for `title` in the picker and clicks its "N stars for …" radio in the first row that shows it. */
export async function rateBySearch(page: Page, title: string, stars: number): Promise<void> {
  const search = page.getByRole('searchbox', { name: 'Search movies by title' });
  await search.fill(title);
  const row = page.locator('cinesage-movie-picker li').filter({ hasText: title }).first();
  await row.waitFor();
  await row.getByRole('radio', { name: new RegExp(`^${stars} stars? for `) }).click();
}
