/** The recommendation list's predicted stars, reasons and in-place rating, as a screen reader meets them. */
import { expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { Recommendation, RecommendResult } from '../core/api.ts';
import type { RecommendationList } from './recommendation-list.ts';
import './recommendation-list.ts';

const item = (movieId: number, predictedRating: number, because: Recommendation['because']): Recommendation => ({
  movieId,
  title: `Movie ${movieId}`,
  year: 1995,
  genres: ['Drama'],
  popularity: 10,
  meanRating: 3.5,
  score: 1,
  predictedRating,
  because,
});

async function mount(items: Recommendation[], ratingStep = 1) {
  const el = document.createElement('cinesage-recommendation-list') as RecommendationList;
  el.result = { items, forUser: 'you', popularFallback: false, scoringMs: 1, position: null } as RecommendResult;
  el.ratingStep = ratingStep;
  document.body.append(el);
  await el.updateComplete;
  const root = el.shadowRoot as ShadowRoot;
  await Promise.all([...root.querySelectorAll('cinesage-star-rating')].map((s) => s.updateComplete));
  return { el, rows: [...root.querySelectorAll<HTMLLIElement>('li[data-movie-id]')] };
}

test('predicted stars: one decimal on screen, "predicted x of 5 stars" for screen readers', async () => {
  const { el, rows } = await mount([item(1, 4.2, []), item(2, 3, []), item(3, 4.96, [])]);
  const predicted = rows.map((r) => r.querySelector('[part=predicted]') as HTMLElement);
  expect(predicted.map((p) => p.getAttribute('role'))).toEqual(['img', 'img', 'img']);
  expect(predicted.map((p) => p.getAttribute('aria-label'))).toEqual([
    'predicted 4.2 of 5 stars',
    'predicted 3.0 of 5 stars',
    'predicted 5.0 of 5 stars',
  ]);
  expect(predicted.map((p) => p.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
    'predicted 4.2 ★',
    'predicted 3.0 ★',
    'predicted 5.0 ★',
  ]);
  el.remove();
});

test('a reason is shown only when there is one', async () => {
  const { el, rows } = await mount([item(1, 4, [{ movieId: 9, title: 'Emma (1996)' }]), item(2, 4, [])]);
  expect(rows.map((r) => /Because you rated/.test(r.textContent ?? ''))).toEqual([true, false]);
  expect(rows[0].textContent).toMatch(/Because you rated Emma \(1996\)/);
  el.remove();
});

test('the in-place star rating follows the data set: whole stars, or half stars', async () => {
  const radiosOf = (el: HTMLElement) => {
    const stars = (el.shadowRoot as ShadowRoot).querySelector('cinesage-star-rating') as HTMLElement;
    return [...(stars.shadowRoot as ShadowRoot).querySelectorAll('[role=radio]')].map((r) =>
      r.getAttribute('data-stars'),
    );
  };
  const whole = await mount([item(1, 4, [])]);
  const half = await mount([item(1, 4, [])], 0.5);
  expect(radiosOf(whole.el)).toEqual(['1', '2', '3', '4', '5']);
  expect(radiosOf(half.el)).toEqual(['0.5', '1', '1.5', '2', '2.5', '3', '3.5', '4', '4.5', '5']);
  whole.el.remove();
  half.el.remove();
});

test('heading and a polite status line: computing, popular fallback, personal list on its way, or how many for whom and how fast', async () => {
  const { el } = await mount([item(1, 4, []), item(2, 3.5, [])]);
  const root = el.shadowRoot as ShadowRoot;
  const status = page.elementLocator(el).getByRole('status');
  expect(root.querySelector('h2')?.textContent).toBe('Recommended for you');
  expect(status.element().getAttribute('aria-live')).toBe('polite');
  expect(status.element().textContent).toBe('2 recommendations for you, scored in 1.0 ms.');
  el.heading = 'Recommended for MovieLens user 7';
  el.result = { items: [item(1, 4, [])], forUser: 'user 7', popularFallback: true, scoringMs: 3, position: null };
  await el.updateComplete;
  expect(root.querySelector('h2')?.textContent).toBe('Recommended for MovieLens user 7');
  expect(status.element().textContent).toMatch(/^No ratings yet, so these are the most popular movies\./);
  // Start-up: the popular list stands in while the model is on its way, rated movies or not.
  el.result = { ...el.result, popularFallback: true, personalising: true };
  await el.updateComplete;
  expect(status.element().textContent).toBe(
    'Your personal list is on its way; meanwhile, these are the most popular movies.',
  );
  // Scored against the compact codes while the exact embeddings download.
  el.result = { ...el.result, popularFallback: false, personalising: false, approximate: true, forUser: 'you' };
  await el.updateComplete;
  expect(status.element().textContent).toBe(
    '1 recommendation for you, scored in 3.0 ms (close to exact; the exact list follows in a moment).',
  );
  el.result = null;
  await el.updateComplete;
  expect(status.element().textContent).toBe('Computing recommendations…');
  expect(root.querySelectorAll('[part=item]')).toHaveLength(0);
  el.remove();
});

test('parts and order: an ordered list part, one item part per recommendation in rank order, with details', async () => {
  const { el, rows } = await mount([item(5, 4.5, []), item(3, 4, []), item(8, 3.9, [])]);
  const list = (el.shadowRoot as ShadowRoot).querySelector('[part=list]') as HTMLElement;
  expect(list.tagName).toBe('OL');
  expect(rows.map((r) => r.getAttribute('part'))).toEqual(['item', 'item', 'item']);
  expect(rows.map((r) => r.dataset.movieId)).toEqual(['5', '3', '8']);
  expect(rows[1].textContent?.replace(/\s+/g, ' ')).toMatch(/^ 2\. Movie 3 Drama · 1995 /);
  el.remove();
});

test('compact hides genres, years and reasons but keeps titles and predicted ratings', async () => {
  const { el, rows } = await mount([item(1, 4, [{ movieId: 9, title: 'Emma (1996)' }])]);
  el.compact = true;
  await el.updateComplete;
  expect(el.hasAttribute('compact')).toBe(true);
  expect(rows[0].textContent).not.toMatch(/Drama|Because you rated/);
  expect(rows[0].textContent).toMatch(/Movie 1/);
  expect(rows[0].querySelector('[part=predicted]')).not.toBeNull();
  el.remove();
});

test('rating in place re-fires cinesage-rate from the list with the movie id, and shows the current stars', async () => {
  const { el } = await mount([item(1, 4, []), item(2, 4, [])]);
  el.ratings = new Map([[2, 3]]);
  await el.updateComplete;
  const seen: unknown[] = [];
  const listen = (e: Event) => seen.push([(e.target as Element).tagName, (e as CustomEvent).detail]);
  document.addEventListener('cinesage-rate', listen);
  const list = page.elementLocator(el);
  expect(list.getByRole('radio', { name: '3 stars for Movie 2' }).element().getAttribute('aria-checked')).toBe('true');
  await userEvent.click(list.getByRole('radio', { name: '5 stars for Movie 1' }));
  document.removeEventListener('cinesage-rate', listen);
  expect(seen).toEqual([['CINESAGE-RECOMMENDATION-LIST', { movieId: 1, stars: 5 }]]);
  el.remove();
});

test('IMDb and TMDB links: ordinary links to follow, named for the movie, only where the data set has them', async () => {
  const { el, rows } = await mount([
    {
      ...item(1, 4, []),
      imdbUrl: 'https://www.imdb.com/title/tt0114709/',
      tmdbUrl: 'https://www.themoviedb.org/movie/862',
    },
    { ...item(2, 4, []), imdbUrl: 'https://www.imdb.com/title/tt0012345/', tmdbUrl: null },
    { ...item(3, 4, []), imdbUrl: null, tmdbUrl: null },
    item(4, 4, []),
  ]);
  const list = page.elementLocator(el);
  const imdb = list.getByRole('link', { name: 'IMDb page for Movie 1' }).element() as HTMLAnchorElement;
  const tmdb = list.getByRole('link', { name: 'TMDB page for Movie 1' }).element() as HTMLAnchorElement;
  expect([imdb.href, imdb.target, imdb.rel, imdb.textContent]).toEqual([
    'https://www.imdb.com/title/tt0114709/',
    '_blank',
    'noopener noreferrer',
    'IMDb',
  ]);
  expect([tmdb.href, tmdb.target, tmdb.rel, tmdb.textContent]).toEqual([
    'https://www.themoviedb.org/movie/862',
    '_blank',
    'noopener noreferrer',
    'TMDB',
  ]);
  expect(rows.map((r) => [...r.querySelectorAll('[part=link]')].map((a) => (a as HTMLElement).dataset.site))).toEqual([
    ['imdb', 'tmdb'],
    ['imdb'],
    [],
    [],
  ]);
  expect(rows.map((r) => r.querySelectorAll('[part=links]').length)).toEqual([1, 1, 0, 0]);
  expect(list.getByRole('link', { name: 'IMDb page for Movie 2' }).element().getAttribute('href')).toBe(
    'https://www.imdb.com/title/tt0012345/',
  );
  el.compact = true;
  await el.updateComplete;
  expect((el.shadowRoot as ShadowRoot).querySelectorAll('a')).toHaveLength(0);
  el.remove();
});

test('rows are laid out by the component styles, with no inline style attributes', async () => {
  const { el, rows } = await mount([item(1, 4, [])]);
  const root = el.shadowRoot as ShadowRoot;
  expect(root.querySelectorAll('[style]')).toHaveLength(0);
  const list = getComputedStyle(root.querySelector('[part=list]') as HTMLElement);
  expect([list.listStyleType, list.paddingLeft, list.marginTop]).toEqual(['none', '0px', '0px']);
  const row = getComputedStyle(rows[0]);
  expect([row.display, row.flexWrap, row.alignItems, row.borderBottomStyle]).toEqual([
    'flex',
    'wrap',
    'flex-start',
    'solid',
  ]);
  const rating = getComputedStyle(rows[0].querySelector('.rating') as HTMLElement);
  expect([rating.display, rating.flexDirection, rating.alignItems]).toEqual(['flex', 'column', 'flex-end']);
  el.remove();
});
