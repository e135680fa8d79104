import { describe, expect, test } from 'vitest';
import { parseCsv } from '../../pipeline/data/csv.ts';
import { parseMl1mUsers } from '../../pipeline/data/ml-1m.ts';
import { attachLinks, parseMlLatestLinks, parseMlLatestMovies } from '../../pipeline/data/ml-latest.ts';
import { detectMovieLensFormat, loadMovieLens } from '../../pipeline/data/movielens.ts';
import { parseRatingsStream } from '../../pipeline/data/ratings-file.ts';
import { DatasetParseError } from '../../src/core/errors.ts';
import { fixturesRoot } from '../support/fixtures.ts';

const FIXTURES = fixturesRoot();

describe('format detection', () => {
  test.each([
    ['ml-100k', 'ml-100k'],
    ['ml-1m', 'ml-1m'],
    ['ml-latest', 'ml-latest'],
  ] as const)('%s', (dir, format) => {
    expect(detectMovieLensFormat(`${FIXTURES}/${dir}`)).toBe(format);
  });
  test('a directory without MovieLens files is an error naming it', async () => {
    await expect(loadMovieLens(FIXTURES)).rejects.toThrow(DatasetParseError);
  });
});

describe('ML-100K layout (fixture)', () => {
  test('Latin-1 titles, release-date years, the empty movie, demographics', async () => {
    const ds = await loadMovieLens(`${FIXTURES}/ml-100k`);
    expect(ds.movies.map((m) => [m.title, m.year])).toEqual([
      ['Toy Story (1995)', 1995],
      ['Misérables, Les (1995)', 1995],
      ['unknown', null],
      ['Richard III (1995)', 1996],
    ]);
    expect(ds.movies[0].genres).toEqual(['Animation', "Children's", 'Comedy']);
    expect(ds.users[1]).toEqual({ id: 2, age: 53, gender: 'F', occupation: 'other' });
    expect(Array.from(ds.ratings.rating)).toEqual([5, 3, 4, 1, 2]);
    expect(Array.from(ds.ratings.timestamp)).toEqual([880000001, 880000002, 880000003, 880000004, 880000005]);
  });
});

describe('ML-1M (fixture)', () => {
  test('"::" fields, Latin-1 titles, year from the title, age and occupation codes', async () => {
    const ds = await loadMovieLens(`${FIXTURES}/ml-1m`);
    expect(ds.format).toBe('ml-1m');
    expect(ds.genres.length).toBe(18);
    expect(ds.occupations?.length).toBe(21);
    expect(ds.movies[2]).toEqual({
      id: 3,
      title: 'City of Lost Children, The (Cité des enfants perdus, La) (1995)',
      year: 1995,
      genres: ['Adventure', 'Sci-Fi'],
    });
    expect(ds.movies[3].title).toBe('Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb (1963)');
    expect(ds.users).toEqual([
      { id: 1, age: 1, gender: 'F', occupation: 'K-12 student' },
      { id: 2, age: 56, gender: 'M', occupation: 'self-employed' },
      { id: 3, age: 25, gender: 'M', occupation: 'other or not specified' },
    ]);
    expect(ds.ratings.length).toBe(5);
  });
  test('an age outside the documented codes is an error with the line', () => {
    expect(() => parseMl1mUsers('1::F::1::10::48067\n2::M::30::16::70072\n')).toThrow(/users\.dat:2: unknown age code/);
  });
});

describe('ML-latest CSV (fixture)', () => {
  test('quoted titles with commas and escaped quotes, no-genre movies, half stars, raters as users', async () => {
    const ds = await loadMovieLens(`${FIXTURES}/ml-latest`);
    expect(ds.format).toBe('ml-latest');
    expect(ds.name).toBe('ml-latest');
    expect(ds.occupations).toBeNull();
    const byId = new Map(ds.movies.map((m) => [m.id, m]));
    expect(byId.get(11)?.title).toBe('American President, The (1995)');
    expect(byId.get(2594)?.title).toBe('Hellraiser: "Bloodline" (1996)');
    expect(byId.get(200000)).toEqual({
      id: 200000,
      title: 'Amélie, "Le Fabuleux Destin" (2001)',
      year: 2001,
      genres: ['Comedy', 'Romance', 'IMAX'],
      links: { imdbId: 99999, tmdbId: 31415 },
    });
    expect(byId.get(114335)?.genres).toEqual([]);
    expect(byId.get(171749)?.year).toBe(2006);
    expect(byId.get(149352)).toMatchObject({ title: 'Babylon 5', year: null });
    expect(ds.genres).not.toContain('(no genres listed)');
    expect(ds.genres).toEqual([...ds.genres].sort());
    expect(ds.users.map((u) => u.id)).toEqual([1, 7, 12]);
    expect(ds.users[0]).toEqual({ id: 1, age: null, gender: null, occupation: null });
    expect(Array.from(ds.ratings.rating)).toEqual([4, 0.5, 4.5, 3, 5, 2.5, 3.5]);
  });
  test('CSV: CRLF, a quoted line break, an empty field', () => {
    const rows = parseCsv('a,b,c\r\n1,"two\nlines","x ""y"""\r\n2,,z\r\n', 'f.csv');
    expect(rows.map((r) => r.fields)).toEqual([
      ['a', 'b', 'c'],
      ['1', 'two\nlines', 'x "y"'],
      ['2', '', 'z'],
    ]);
    expect(rows[2].lineNo).toBe(4);
    expect(() => parseCsv('1,"open\n', 'f.csv')).toThrow(/f\.csv:1: quoted field never closed/);
  });
  test('links.csv: IMDb ids with leading zeros, an empty TMDB id, CRLF, a movie left out', async () => {
    const ds = await loadMovieLens(`${FIXTURES}/ml-latest`);
    const links = new Map(ds.movies.map((m) => [m.id, m.links]));
    expect(links.get(1)).toEqual({ imdbId: 42, tmdbId: 7 });
    expect(links.get(11)).toEqual({ imdbId: 12345, tmdbId: null });
    expect(links.get(1107)).toEqual({ imdbId: 1234567, tmdbId: 99999 });
    expect(links.get(171749)).toEqual({ imdbId: 12345678, tmdbId: 123456 });
    expect(links.get(149352)).toEqual({ imdbId: null, tmdbId: null });
  });
  test('links.csv errors name the file and line; a link to a movie movies.csv lacks is refused', () => {
    expect(() => parseMlLatestLinks('1,0114709,862\n')).toThrow(/links\.csv:1: expected the header/);
    expect(() => parseMlLatestLinks('movieId,imdbId,tmdbId\n1,tt0114709,862\n')).toThrow(
      /links\.csv:2: imdbId "tt0114709" is not a number/,
    );
    expect(() => parseMlLatestLinks('movieId,imdbId,tmdbId\n1,0114709,862\n1,0114709,862\n')).toThrow(
      /links\.csv:3: movie 1 appears twice/,
    );
    expect(() => parseMlLatestLinks('movieId,imdbId,tmdbId\n1,0114709\n')).toThrow(/links\.csv:2: expected 3 fields/);
    const links = parseMlLatestLinks('movieId,imdbId,tmdbId\n5,0000001,\n');
    expect(() => attachLinks([{ id: 1, title: 'A', year: null, genres: [] }], links)).toThrow(
      /links\.csv: movie 5 is not in movies\.csv/,
    );
  });
  test('a movies.csv without the header is rejected', () => {
    expect(() => parseMlLatestMovies('1,Toy Story (1995),Comedy\n')).toThrow(/expected the header/);
  });
});

describe('streaming ratings parser', () => {
  const text = 'userId,movieId,rating,timestamp\r\n1,10,3.5,100\r\n2,20,5,200\n\n3,30,0.5,300';
  const format = { separator: ',', header: 'userId,movieId,rating,timestamp' };

  test('gives the same table however the stream is chunked (mid-line, mid-number, CRLF split)', async () => {
    const bytes = new TextEncoder().encode(text);
    const whole = await parseRatingsStream([bytes], format, 'r.csv');
    expect(Array.from(whole.user)).toEqual([1, 2, 3]);
    expect(Array.from(whole.rating)).toEqual([3.5, 5, 0.5]);
    expect(Array.from(whole.timestamp)).toEqual([100, 200, 300]);
    for (let size = 1; size <= 7; size++) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size));
      expect(await parseRatingsStream(chunks, format, 'r.csv')).toEqual(whole);
    }
  });

  test('a multi-byte separator split across chunks', async () => {
    const bytes = new TextEncoder().encode('1::2::3::4\n5::6::4::8\n');
    const chunks = [bytes.slice(0, 2), bytes.slice(2, 13), bytes.slice(13)];
    const table = await parseRatingsStream(chunks, { separator: '::', header: null }, 'ratings.dat');
    expect(Array.from(table.movie)).toEqual([2, 6]);
  });

  test('grows past its initial capacity', async () => {
    const lines = Array.from({ length: 70_000 }, (_, i) => `${1 + (i % 50)}\t${1 + (i % 97)}\t${1 + (i % 5)}\t${i}`);
    const table = await parseRatingsStream(
      [new TextEncoder().encode(lines.join('\n'))],
      { separator: '\t', header: null },
      'u.data',
    );
    expect(table.length).toBe(70_000);
    expect(table.timestamp[69_999]).toBe(69_999);
    expect(table.user.length).toBe(70_000);
  });

  test.each([
    ['1,10,3.5\n', /r\.csv:2: expected 4 fields/],
    ['1,10,3.5,100,9\n', /expected 4 fields/],
    ['1,10,5.5,100\n', /rating is not 0\.5–5/],
    ['1,10,3.25,100\n', /rating is not 0\.5–5/],
    ['x,10,3,100\n', /user id/],
    ['1,-3,3,100\n', /movie id/],
  ])('rejects %j with the file and line', async (body, message) => {
    const bytes = new TextEncoder().encode(`userId,movieId,rating,timestamp\n${body}`);
    await expect(parseRatingsStream([bytes], format, 'r.csv')).rejects.toThrow(message);
  });

  test('a wrong header is rejected', async () => {
    const bytes = new TextEncoder().encode('user,movie,rating,ts\n1,2,3,4\n');
    await expect(parseRatingsStream([bytes], format, 'r.csv')).rejects.toThrow(/r\.csv:1: expected the header/);
  });
});
