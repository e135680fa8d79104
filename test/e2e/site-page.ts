/** Helpers that drive the site's page as a visitor does: open it, rate a movie found by search, read the list. */
import type { BrowserContext, Page } from 'playwright-core';
import { expect, inject } from 'vitest';

/** Opens the site in a new page and waits for the first recommendations. */
/** Opens the site and waits until its list no longer waits for the model (see `listSettled`). */
export async function openSite(context: BrowserContext, query = ''): Promise<Page> {
  const page = await context.newPage();
  await page.goto(inject('siteUrl') + query);
  await listSettled(page);
  return page;
}

/**
 * Resolves when a list is on screen and it is not the stand-in shown while the model is on its way: the
 * personal list, or the popular one for a visitor with no ratings.
 */
export async function listSettled(page: Page): Promise<void> {
  await page.locator('cinesage-recommendation-list li').first().waitFor({ timeout: 120_000 });
  await page.waitForFunction(
    () => {
      const app = document.querySelector('cinesage-app') as
        | (HTMLElement & { result: { personalising?: boolean } | null })
        | null;
      return app?.result != null && app.result.personalising !== true;
    },
    undefined,
    { timeout: 120_000 },
  );
}

export const recommendedIds = (page: Page) =>
  page
    .locator('cinesage-recommendation-list li[data-movie-id]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-movie-id')));

/** Searches for `title` in the picker and clicks its "N stars for …" radio in the first row that shows it. */
/**
 * Types `title` into the picker's search and waits for its answer to replace the list shown before (a row
 * found in the old list is about to be replaced: a click or key there can land on another movie or nowhere).
 */
export async function searchPicker(page: Page, title: string): Promise<void> {
  const search = page.getByRole('searchbox', { name: 'Search movies by title' });
  if ((await search.inputValue()) === title) return;
  const ids = () =>
    page.locator('cinesage-movie-picker li').evaluateAll((li) => li.map((x) => x.dataset.movieId).join(','));
  const before = await ids();
  await search.fill(title);
  await expect.poll(ids, { timeout: 30_000 }).not.toBe(before);
}

export async function rateBySearch(page: Page, title: string, stars: number): Promise<void> {
  await searchPicker(page, title);
  const row = page.locator('cinesage-movie-picker li').filter({ hasText: title }).first();
  await row.waitFor();
  await row.getByRole('radio', { name: new RegExp(`^${stars} stars? for `) }).click();
}

/** Resolves when every widget on the page shows a list that is not the stand-in of `listSettled`. */
export async function widgetsSettled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const widgets = [...document.querySelectorAll('cinesage-recommender')] as (HTMLElement & {
        result: { personalising?: boolean } | null;
      })[];
      return widgets.length > 0 && widgets.every((w) => w.result != null && w.result.personalising !== true);
    },
    undefined,
    { timeout: 120_000 },
  );
}
