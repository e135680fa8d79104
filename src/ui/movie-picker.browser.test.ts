/** The movie picker against a fake client: browse, search, genre, rating events, parts and layout. */
import { expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { RecommenderClient } from '../client/recommender-client.ts';
import type { MovieSummary } from '../core/api.ts';
import type { MoviePicker } from './movie-picker.ts';
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

/** Only the three calls the picker makes, answered from fixtures and recorded. */
function fakeClient(answers: { search?: (q: string) => Promise<MovieSummary[]> | MovieSummary[] } = {}) {
  const calls: unknown[][] = [];
  const client = {
    call(method: string, ...args: unknown[]): Promise<unknown> {
      calls.push([method, ...args]);
      if (method === 'genres') return Promise.resolve(['Action', 'Comedy', 'Crime']);
      if (method === 'browseMovies') {
        const { genre } = args[0] as { genre?: string };
        return Promise.resolve(genre ? [movie(1, 'Toy Story (1995)', ['Comedy'])] : BROWSE);
      }
      if (method === 'searchMovies') return Promise.resolve(answers.search?.(args[0] as string) ?? []);
      throw new Error(`the picker should not call ${method}`);
    },
  };
  return { client: client as unknown as RecommenderClient, calls };
}

async function mount(client: RecommenderClient | null, setup: (el: MoviePicker) => void = () => undefined) {
  const el = document.createElement('cinesage-movie-picker');
  setup(el);
  el.client = client;
  document.body.append(el);
  await settle(el);
  return el;
}

/** Lets the fake client answer and the picker (and its star ratings) render. */
async function settle(el: MoviePicker) {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
  }
}

const root = (el: MoviePicker) => el.shadowRoot as ShadowRoot;
const titles = (el: MoviePicker) => [...root(el).querySelectorAll('li .title')].map((t) => t.textContent);
const heading = (el: MoviePicker) => root(el).querySelector('#picker-heading')?.textContent;

test('with a client it offers the genres and lists the most-rated movies, each with details and stars', async () => {
  const { client, calls } = fakeClient();
  const el = await mount(client);
  expect(calls).toEqual([['genres'], ['browseMovies', { genre: undefined, limit: 12 }]]);
  expect(root(el).querySelector('h2')?.textContent).toBe('Rate movies you know');
  expect(heading(el)).toBe('Most-rated movies');
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
  el.remove();
});

test('no client: nothing is asked and the list is empty', async () => {
  const el = await mount(null);
  expect(titles(el)).toEqual([]);
  expect(heading(el)).toBe('Most-rated movies');
  el.remove();
});

test('typing searches by title after a pause; the genre menu is disabled and a miss is said', async () => {
  const { client, calls } = fakeClient({ search: (q) => (q === 'star' ? [BROWSE[0]] : []) });
  const el = await mount(client, (e) => {
    e.pageSize = 5;
  });
  const search = page.elementLocator(el).getByRole('searchbox', { name: 'Search movies by title' });
  expect(search.element().getAttribute('part')).toBe('search');
  await userEvent.fill(search, 'star');
  await new Promise((r) => setTimeout(r, 200));
  await settle(el);
  expect(calls.filter((c) => c[0] === 'searchMovies')).toEqual([['searchMovies', 'star', 5]]);
  expect(heading(el)).toBe('Movies matching “star”');
  expect(titles(el)).toEqual(['Star Wars (1977)']);
  expect((root(el).querySelector('#genre') as HTMLSelectElement).disabled).toBe(true);
  await userEvent.fill(search, 'zzz');
  await new Promise((r) => setTimeout(r, 200));
  await settle(el);
  expect(titles(el)).toEqual([]);
  expect(root(el).textContent).toContain('No title matches “zzz”.');
  el.remove();
});

test('an answer to an older query never replaces a newer one', async () => {
  let releaseSlow: (m: MovieSummary[]) => void = () => undefined;
  const { client } = fakeClient({
    search: (q) => (q === 'fa' ? new Promise<MovieSummary[]>((r) => (releaseSlow = r)) : [BROWSE[1]]),
  });
  const el = await mount(client);
  const search = page.elementLocator(el).getByRole('searchbox');
  await userEvent.fill(search, 'fa');
  await new Promise((r) => setTimeout(r, 200));
  await userEvent.fill(search, 'fargo');
  await new Promise((r) => setTimeout(r, 200));
  await settle(el);
  expect(titles(el)).toEqual(['Fargo (1996)']);
  releaseSlow([movie(7, 'Fatal Instinct (1993)')]);
  await settle(el);
  expect(titles(el)).toEqual(['Fargo (1996)']);
  el.remove();
});

test('choosing a genre browses that genre', async () => {
  const { client, calls } = fakeClient();
  const el = await mount(client);
  await userEvent.selectOptions(page.elementLocator(el).getByRole('combobox'), 'Comedy');
  await settle(el);
  expect(calls.at(-1)).toEqual(['browseMovies', { genre: 'Comedy', limit: 12 }]);
  expect(heading(el)).toBe('Most-rated Comedy movies');
  expect(titles(el)).toEqual(['Toy Story (1995)']);
  el.remove();
});

test('the stars show the current ratings and rating a movie fires cinesage-rate with its id', async () => {
  const { client } = fakeClient();
  const el = await mount(client, (e) => {
    e.ratings = new Map([[100, 4]]);
    e.ratingStep = 0.5;
  });
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
  el.remove();
});

test('the search row is laid out by the component styles, with no inline style attributes', async () => {
  const { client } = fakeClient();
  const el = await mount(client);
  expect(root(el).querySelectorAll('[style]')).toHaveLength(0);
  const row = getComputedStyle(root(el).querySelector('.controls') as HTMLElement);
  expect([row.display, row.flexWrap, row.marginBottom]).toEqual(['flex', 'wrap', '8px']);
  const input = getComputedStyle(root(el).querySelector('[part=search]') as HTMLElement);
  expect([input.flexGrow, input.flexShrink, input.flexBasis]).toEqual(['1', '1', '192px']);
  el.remove();
});
