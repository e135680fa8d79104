/**
 * Issue #11 on the ML-100K site: a 1-star rating must push its kind of movie away, never pull it in, and the
 * "Because you rated …" reasons must never name a disliked movie.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { launchChromium } from './browser.ts';
import { openSite, rateBySearch } from './site-page.ts';

const COSTUME_DRAMAS = [
  'Sense and Sensibility (1995)',
  'Emma (1996)',
  'Casablanca (1942)',
  "Schindler's List (1993)",
  'English Patient, The (1996)',
];
const SCI_FI_CLASSICS = [
  'Star Wars (1977)',
  'Empire Strikes Back, The (1980)',
  'Return of the Jedi (1983)',
  'Star Trek: First Contact (1996)',
  'Star Trek: The Wrath of Khan (1982)',
  'Alien (1979)',
];
const STAR_WARS = 'Star Wars (1977)';
/** Star Wars' nearest kin beyond the Sci-Fi genre. */
const STAR_WARS_KIN = new Set([
  'Empire Strikes Back, The (1980)',
  'Return of the Jedi (1983)',
  'Raiders of the Lost Ark (1981)',
  'Indiana Jones and the Last Crusade (1989)',
]);
const NEUTRAL = ['Fargo (1996)', 'Jerry Maguire (1996)'];

interface Listed {
  title: string;
  genres: string[];
  /** The "Because you rated …" line, '' when there is none. */
  because: string;
}

/** The recommendations on screen, best first, with the genres and reason each row shows. */
const topList = (page: Page): Promise<Listed[]> =>
  page.locator('cinesage-recommendation-list li[data-movie-id]').evaluateAll((rows) =>
    rows.map((row) => {
      const metas = [...row.querySelectorAll('.meta')].map((m) => m.textContent?.trim() ?? '');
      return {
        title: row.querySelector('.title')?.textContent?.trim() ?? '',
        genres: (metas[0] ?? '').split(' · ')[0].split(', '),
        because: metas.find((m) => m.startsWith('Because you rated')) ?? '',
      };
    }),
  );

/**
 * Rates `title` by search, then waits until the profile shows that rating (the app sets ratings and
 * recommendations together) and the list has rendered it.
 */
async function rate(page: Page, title: string, stars: number): Promise<void> {
  await rateBySearch(page, title, stars);
  const saved = page
    .locator('cinesage-profile-panel li')
    .filter({ hasText: title })
    .getByRole('radio', { name: new RegExp(`^${stars} stars? for `) });
  await expect.poll(() => saved.getAttribute('aria-checked'), { timeout: 30_000 }).toBe('true');
  await page.evaluate(async () => {
    const app = document.querySelector('cinesage-app') as HTMLElement & { updateComplete: Promise<unknown> };
    await app.updateComplete;
    const list = app.shadowRoot?.querySelector('cinesage-recommendation-list') as HTMLElement & {
      updateComplete: Promise<unknown>;
    };
    await list.updateComplete;
  });
}

async function rateAll(page: Page, titles: readonly string[], stars: number): Promise<Listed[]> {
  for (const title of titles) await rate(page, title, stars);
  const list = await topList(page);
  expect(list).toHaveLength(20);
  return list;
}

const isSciFi = (m: Listed) => m.genres.includes('Sci-Fi');
const isStarWarsKin = (m: Listed) => isSciFi(m) || STAR_WARS_KIN.has(m.title);
const report = (label: string, list: Listed[], pick: (m: Listed) => boolean) =>
  console.log(
    `${label}: ${list.filter(pick).length} of ${list.length} — ${list
      .filter(pick)
      .map((m) => m.title)
      .join('; ')}`,
  );

let browser: Browser;
let context: BrowserContext;
beforeAll(async () => {
  browser = await launchChromium('none');
});
beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  return () => context.close();
});
afterAll(async () => {
  await browser?.close();
});

test('six sci-fi classics rated 1 star after five costume dramas rated 5 pull no sci-fi in', async () => {
  const page = await openSite(context, '?backend=wasm');
  const likesOnly = await rateAll(page, COSTUME_DRAMAS, 5);
  const withDislikes = await rateAll(page, SCI_FI_CLASSICS, 1);
  report('Sci-Fi in the top 20, likes only', likesOnly, isSciFi);
  report('Sci-Fi in the top 20, likes and dislikes', withDislikes, isSciFi);
  for (const m of withDislikes) {
    for (const disliked of SCI_FI_CLASSICS) expect(m.because, `reason for ${m.title}`).not.toContain(disliked);
  }
  expect(
    withDislikes.some((m) => m.because !== ''),
    'some recommendation still has a reason',
  ).toBe(true);
  // Like with like: the disliked movies are rated, so no longer candidates; count the others in both lists.
  const unratedSciFi = (list: Listed[]) => list.filter((m) => isSciFi(m) && !SCI_FI_CLASSICS.includes(m.title)).length;
  expect(unratedSciFi(withDislikes)).toBeLessThanOrEqual(unratedSciFi(likesOnly));
});

test("changing Star Wars from 5 stars to 1 moves the list away from Star Wars' kin", async () => {
  const page = await openSite(context, '?backend=wasm');
  await rateAll(page, NEUTRAL, 3);
  const liked = await rateAll(page, [STAR_WARS], 5);
  const disliked = await rateAll(page, [STAR_WARS], 1);
  report('Star Wars kin in the top 20, Star Wars 5 stars', liked, isStarWarsKin);
  report('Star Wars kin in the top 20, Star Wars 1 star', disliked, isStarWarsKin);
  expect(liked.filter(isStarWarsKin).length, 'a 5-star Star Wars brings its kin in').toBeGreaterThanOrEqual(3);
  for (const m of disliked) expect(m.because, `reason for ${m.title}`).not.toContain(STAR_WARS);
  expect(disliked.filter(isStarWarsKin).length).toBeLessThan(liked.filter(isStarWarsKin).length);
});
