/** The movie picker as its owner sees it: the queries it asks, what it shows of the answers, rating events, parts and layout. */
import { afterEach, expect, test, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { MovieQuery } from '../client/movie-finder.ts';
import type { MovieSummary } from '../core/api.ts';
import type { MoviePicker } from './movie-picker.ts';
import type { StarRating } from './star-rating.ts';
import './movie-picker.ts';

const movie = (
  movieId: number,
  title: string,
  genres: string[] = ['Drama'],
  year: number | null = 1995,
): MovieSummary => ({
  movieId,
  title,
  year,
  genres,
  popularity: 100,
  meanRating: 3.5,
});

const BROWSE = [movie(50, 'Star Wars (1977)', ['Action', 'Sci-Fi'], 1977), movie(100, 'Fargo (1996)', ['Crime'], 1996)];

const GENRES = ['Action', 'Comedy', 'Crime'];

/** Mounts a picker and records its queries from before its first render. */
async function mount(setup: (el: MoviePicker) => void = () => undefined) {
  const el = document.createElement('cinesage-movie-picker');
  const queries: MovieQuery[] = [];
  el.addEventListener('cinesage-movie-query', (e) => {
    const event = e as CustomEvent<MovieQuery>;
    expect([event.bubbles, event.composed]).toEqual([true, true]);
    queries.push(event.detail);
  });
  setup(el);
  document.body.append(el);
  await el.updateComplete;
  return { el, queries };
}

/** The owner's answer: sets the movies and waits for them (and their star ratings) to render. */
async function answer(el: MoviePicker, movies: MovieSummary[]) {
  el.movies = movies;
  await el.updateComplete;
  await Promise.all([...root(el).querySelectorAll<StarRating>('cinesage-star-rating')].map((s) => s.updateComplete));
}

/** Types into the search field and waits until the picker asks (after its pause in typing). */
async function search(el: MoviePicker, queries: MovieQuery[], text: string) {
  const asked = queries.length;
  await userEvent.fill(page.elementLocator(el).getByRole('searchbox'), text);
  await vi.waitFor(() => expect(queries.length).toBeGreaterThan(asked), { timeout: 5000 });
  return queries.slice(asked);
}

afterEach(() => {
  for (const el of document.querySelectorAll('cinesage-movie-picker')) el.remove();
});

const root = (el: MoviePicker) => el.shadowRoot as ShadowRoot;
const titles = (el: MoviePicker) => [...root(el).querySelectorAll('li .title')].map((t) => t.textContent);
const heading = (el: MoviePicker) => root(el).querySelector('#picker-heading')?.textContent;

test('on first render it asks once for the most-rated movies, then lists what the owner sets', async () => {
  const { el, queries } = await mount();
  expect(queries).toEqual([{ query: '', genre: null, limit: 12 }]);
  expect(root(el).querySelector('h2')?.textContent).toBe('Rate movies you know');
  expect(heading(el)).toBe('Most-rated movies');
  expect(titles(el)).toEqual([]);
  el.genres = GENRES;
  await answer(el, BROWSE);
  expect(titles(el)).toEqual(['Star Wars (1977)', 'Fargo (1996)']);
  expect(root(el).querySelector('li[data-movie-id="50"] .meta')?.textContent).toBe('Action, Sci-Fi · 1977');
  const genre = page.elementLocator(el).getByRole('combobox', { name: 'Browse by genre' });
  expect([...(genre.element() as HTMLSelectElement).options].map((o) => o.text)).toEqual([
    'All genres',
    'Action',
    'Comedy',
    'Crime',
  ]);
  const list = page.elementLocator(el).getByRole('list', { name: 'Most-rated movies' });
  expect(list.element().getAttribute('part')).toBe('list');
  // Setting what to show never asks again.
  expect(queries).toHaveLength(1);
});

test('the first query carries the page size set before it is added to the page', async () => {
  const { queries } = await mount((e) => {
    e.pageSize = 5;
  });
  expect(queries).toEqual([{ query: '', genre: null, limit: 5 }]);
});

test('typing asks once after a pause, with the trimmed title; the genre menu is disabled and a miss is said', async () => {
  const { el, queries } = await mount((e) => {
    e.pageSize = 5;
    e.genres = GENRES;
    e.movies = BROWSE;
  });
  const field = page.elementLocator(el).getByRole('searchbox', { name: 'Search movies by title' });
  expect(field.element().getAttribute('part')).toBe('search');
  const started = performance.now();
  expect(await search(el, queries, ' star ')).toEqual([{ query: 'star', genre: null, limit: 5 }]);
  expect(performance.now() - started).toBeGreaterThanOrEqual(120);
  expect(heading(el)).toBe('Movies matching “star”');
  await answer(el, [BROWSE[0]]);
  expect(titles(el)).toEqual(['Star Wars (1977)']);
  expect((root(el).querySelector('#genre') as HTMLSelectElement).disabled).toBe(true);
  expect(await search(el, queries, 'zzz')).toEqual([{ query: 'zzz', genre: null, limit: 5 }]);
  await answer(el, []);
  expect(titles(el)).toEqual([]);
  expect(root(el).textContent).toContain('No title matches “zzz”.');
});

test('keys typed within the pause make one query, for the whole text', async () => {
  const { el, queries } = await mount();
  const field = root(el).querySelector('[part=search]') as HTMLInputElement;
  // Five keys at once (a real typist's gaps could exceed the pause on a busy machine).
  for (const text of ['f', 'fa', 'far', 'farg', 'fargo']) {
    field.value = text;
    field.dispatchEvent(new Event('input'));
  }
  await vi.waitFor(() => expect(queries).toHaveLength(2), { timeout: 5000 });
  // Longer than the pause: nothing more comes.
  await new Promise((r) => setTimeout(r, 250));
  expect(queries).toEqual([
    { query: '', genre: null, limit: 12 },
    { query: 'fargo', genre: null, limit: 12 },
  ]);
});

test('clearing the search asks for the most-rated movies again', async () => {
  const { el, queries } = await mount();
  await search(el, queries, 'star');
  expect(await search(el, queries, '')).toEqual([{ query: '', genre: null, limit: 12 }]);
  expect(heading(el)).toBe('Most-rated movies');
});

test('choosing a genre asks for that genre at once; "All genres" asks for all', async () => {
  const { el, queries } = await mount((e) => {
    e.genres = GENRES;
  });
  const menu = page.elementLocator(el).getByRole('combobox');
  await userEvent.selectOptions(menu, 'Comedy');
  expect(queries.at(-1)).toEqual({ query: '', genre: 'Comedy', limit: 12 });
  await el.updateComplete;
  expect(heading(el)).toBe('Most-rated Comedy movies');
  await answer(el, [movie(1, 'Toy Story (1995)', ['Comedy'])]);
  expect(titles(el)).toEqual(['Toy Story (1995)']);
  await userEvent.selectOptions(menu, 'All genres');
  expect(queries.slice(1)).toEqual([
    { query: '', genre: 'Comedy', limit: 12 },
    { query: '', genre: null, limit: 12 },
  ]);
});

test('the stars show the current ratings and rating a movie fires cinesage-rate with its id', async () => {
  const { el } = await mount((e) => {
    e.movies = BROWSE;
    e.ratings = new Map([[100, 4]]);
    e.ratingStep = 0.5;
  });
  await answer(el, BROWSE);
  const picker = page.elementLocator(el);
  expect(picker.getByRole('radio', { name: '4 stars for Fargo (1996)' }).element().getAttribute('aria-checked')).toBe(
    'true',
  );
  const seen: unknown[] = [];
  el.addEventListener('cinesage-rate', (e) => seen.push((e as CustomEvent).detail));
  await userEvent.click(picker.getByRole('radio', { name: '3.5 stars for Star Wars (1977)' }));
  await userEvent.click(picker.getByRole('button', { name: 'Remove your rating for Fargo (1996)' }));
  expect(seen).toEqual([
    { movieId: 50, stars: 3.5 },
    { movieId: 100, stars: null },
  ]);
});

test('the search row is laid out by the component styles, with no inline style attributes', async () => {
  const { el } = await mount((e) => {
    e.movies = BROWSE;
  });
  await answer(el, BROWSE);
  expect(root(el).querySelectorAll('[style]')).toHaveLength(0);
  const row = getComputedStyle(root(el).querySelector('.controls') as HTMLElement);
  expect([row.display, row.flexWrap, row.marginBottom]).toEqual(['flex', 'wrap', '8px']);
  const input = getComputedStyle(root(el).querySelector('[part=search]') as HTMLElement);
  expect([input.flexGrow, input.flexShrink, input.flexBasis]).toEqual(['1', '1', '192px']);
});
