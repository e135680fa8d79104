/** The picker's owner side against a fake client: search or browse, and the newest query's answer wins. */
import { expect, test } from 'vitest';
import type { MovieSummary } from '../core/api.ts';
import { MovieFinder } from './movie-finder.ts';

const movie = (movieId: number, title: string): MovieSummary => ({
  movieId,
  title,
  year: 1995,
  genres: ['Drama'],
  popularity: 100,
  meanRating: 3.5,
});

/** Records the calls; each answer waits until the test gives it (`answer(i, movies)`). */
function fakeClient() {
  const calls: unknown[][] = [];
  const pending: ((movies: MovieSummary[]) => void)[] = [];
  const client = {
    call(method: string, ...args: unknown[]): Promise<MovieSummary[]> {
      calls.push([method, ...args]);
      return new Promise((resolve) => pending.push(resolve));
    },
  };
  return { client: client as never, calls, answer: (i: number, movies: MovieSummary[]) => pending[i](movies) };
}

test('a query searches by title (trimmed); no query browses the genre, or all genres', async () => {
  const { client, calls, answer } = fakeClient();
  const finder = new MovieFinder(client);
  const searched = finder.find({ query: ' star ', genre: 'Comedy', limit: 5 });
  answer(0, [movie(50, 'Star Wars (1977)')]);
  await expect(searched).resolves.toEqual([movie(50, 'Star Wars (1977)')]);
  const browsed = finder.find({ query: '  ', genre: 'Comedy', limit: 12 });
  answer(1, [movie(1, 'Toy Story (1995)')]);
  await expect(browsed).resolves.toEqual([movie(1, 'Toy Story (1995)')]);
  const all = finder.find({ query: '', genre: null, limit: 12 });
  answer(2, []);
  await expect(all).resolves.toEqual([]);
  expect(calls).toEqual([
    ['searchMovies', 'star', 5],
    ['browseMovies', { genre: 'Comedy', limit: 12 }],
    ['browseMovies', { genre: undefined, limit: 12 }],
  ]);
});

test('an answer to an older query that arrives after a newer query was asked is dropped', async () => {
  const { client, answer } = fakeClient();
  const finder = new MovieFinder(client);
  const older = finder.find({ query: 'fa', genre: null, limit: 12 });
  const newer = finder.find({ query: 'fargo', genre: null, limit: 12 });
  answer(1, [movie(100, 'Fargo (1996)')]);
  answer(0, [movie(7, 'Fatal Instinct (1993)')]);
  await expect(newer).resolves.toEqual([movie(100, 'Fargo (1996)')]);
  await expect(older).resolves.toBeNull();
});

test('each finder keeps its own order: two pickers on a page do not drop each other’s answers', async () => {
  const { client, answer } = fakeClient();
  const [a, b] = [new MovieFinder(client), new MovieFinder(client)];
  const first = a.find({ query: 'star', genre: null, limit: 4 });
  const second = b.find({ query: 'fargo', genre: null, limit: 8 });
  answer(0, [movie(50, 'Star Wars (1977)')]);
  answer(1, [movie(100, 'Fargo (1996)')]);
  await expect(first).resolves.toEqual([movie(50, 'Star Wars (1977)')]);
  await expect(second).resolves.toEqual([movie(100, 'Fargo (1996)')]);
});

test('a failed call rejects, and does not stop the next query', async () => {
  const finder = new MovieFinder({
    call: (method: string) =>
      method === 'searchMovies' ? Promise.reject(new Error('worker gone')) : Promise.resolve([movie(1, 'Toy')]),
  } as never);
  await expect(finder.find({ query: 'x', genre: null, limit: 3 })).rejects.toThrow('worker gone');
  await expect(finder.find({ query: '', genre: null, limit: 3 })).resolves.toEqual([movie(1, 'Toy')]);
});
