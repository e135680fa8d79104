import { describe, expect, test } from 'vitest';
import { buildGraph } from '../../pipeline/data/build-graph.ts';
import { loadMovieLens } from '../../pipeline/data/movielens.ts';
import { Catalog } from '../../src/core/catalog.ts';
import { ArtifactFormatError } from '../../src/core/errors.ts';
import type { RatingGraph } from '../../src/core/graph.ts';
import {
  alignUp,
  FIXED_HEADER_BYTES,
  HEADER,
  SECTION_ENTRY_BYTES,
  SNAPSHOT_MAGIC,
} from '../../src/core/snapshot/format.ts';
import { readSnapshot, verifySnapshotHash, verifySnapshotHashSync } from '../../src/core/snapshot/read.ts';
import { writeSnapshot } from '../../src/core/snapshot/write.ts';
import { fixtureDir } from '../support/fixtures.ts';
import { movieLensDir } from '../support/movielens.ts';
import { syntheticDataset } from '../support/synthetic-dataset.ts';

const ARRAY_FIELDS = [
  'userPtr',
  'edgeMovie',
  'edgeRating',
  'edgeTime',
  'moviePtr',
  'movieAdjUser',
  'movieAdjEdge',
  'userFeatures',
  'movieFeatures',
  'userIds',
  'movieIds',
] as const;

function expectSameGraph(a: RatingGraph, b: RatingGraph) {
  expect([a.numUsers, a.numMovies, a.numEdges, a.userFeatureDim, a.movieFeatureDim]).toEqual([
    b.numUsers,
    b.numMovies,
    b.numEdges,
    b.userFeatureDim,
    b.movieFeatureDim,
  ]);
  for (const f of ARRAY_FIELDS) expect(a[f], f).toEqual(b[f]);
}

function expectFormatError(fn: () => unknown, message: RegExp) {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ArtifactFormatError);
  expect((caught as Error).message).toMatch(message);
}

const built = buildGraph(syntheticDataset({ users: 40, movies: 25, ratings: 300, seed: 7 }));
const bytes = writeSnapshot({ ...built, build: { tool: 'test' } });

describe('snapshot round trip', () => {
  test('synthetic graph: arrays, spec, movie metadata and titles survive, as views with no copy', async () => {
    const snap = readSnapshot(bytes.buffer as ArrayBuffer, 'snapshot.bin');
    expectSameGraph(snap.graph, built.graph);
    expect(snap.featureSpec).toEqual(built.spec);
    expect(snap.dataset).toEqual({ name: 'synthetic', format: 'ml-latest' });
    expect(snap.build).toEqual({ tool: 'test' });
    expect(snap.movies.titles()).toEqual(built.movies.map((m) => m.title));
    expect(snap.movies.title(0)).toBe('Amélie, «0», "quoted" (2001)');
    expect(Array.from(snap.movies.year)).toEqual(built.movies.map((m) => m.year ?? 0));
    expect(Array.from(snap.movies.popularity)).toEqual(Array.from(built.moviePopularity));
    built.movies.forEach((m, i) => {
      const names = snap.movies.genres.filter((_, g) => snap.movies.genreMask[i] & (1 << g));
      expect(names).toEqual(m.genres);
    });
    expect(snap.graph.edgeMovie.buffer).toBe(bytes.buffer);
    for (const s of snap.sections) expect(s.offset % 16).toBe(0);
    await verifySnapshotHash(bytes);
    verifySnapshotHashSync(bytes);
  });

  test('writing is deterministic', () => {
    expect(writeSnapshot({ ...built, build: { tool: 'test' } })).toEqual(bytes);
  });

  test('a view at an unaligned offset is copied, not rejected', () => {
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expectSameGraph(readSnapshot(shifted.subarray(3)).graph, built.graph);
  });
});

describe('snapshot errors name the file and the problem', () => {
  test('an HTML page', () => {
    const html = new TextEncoder().encode('\n<!doctype html><html><body>Not found</body></html>');
    expectFormatError(() => readSnapshot(html, 'snap.bin'), /^snap\.bin: this looks like an HTML page/);
  });
  test('wrong magic, empty file, truncated header', () => {
    expectFormatError(() => readSnapshot(new Uint8Array(100)), /wrong magic/);
    expectFormatError(() => readSnapshot(new Uint8Array(0)), /truncated|wrong magic/);
    expectFormatError(() => readSnapshot(bytes.slice(0, 40)), /truncated/);
  });
  test('unsupported version', () => {
    const copy = bytes.slice();
    new DataView(copy.buffer).setUint32(HEADER.version, 2, true);
    expectFormatError(() => readSnapshot(copy), /unsupported format version 2/);
  });
  test('truncated body and trailing garbage', () => {
    expectFormatError(() => readSnapshot(bytes.slice(0, bytes.length - 16)), /truncated/);
    const longer = new Uint8Array(bytes.length + 5);
    longer.set(bytes);
    expectFormatError(() => readSnapshot(longer), /after the end/);
  });
  test('a section length pointing past the end', () => {
    const copy = bytes.slice();
    new DataView(copy.buffer).setUint32(64 + 3 * 64 + 48, 0x7fffff00, true);
    expectFormatError(() => readSnapshot(copy), /out of bounds/);
  });
  test('a changed payload byte passes the structure check but not the hash', async () => {
    const snap = readSnapshot(bytes);
    const ratingSection = snap.sections.find((s) => s.name === 'graph.edgeRating');
    const copy = bytes.slice();
    copy[(ratingSection?.offset ?? 0) + 1] ^= 0x01;
    expect(() => readSnapshot(copy)).not.toThrow();
    await expect(verifySnapshotHash(copy)).rejects.toThrow(/content hash mismatch/);
    expectFormatError(() => verifySnapshotHashSync(copy), /content hash mismatch/);
  });
  test('an inconsistent graph (movie index out of range) is rejected, not returned', () => {
    const graph = { ...built.graph, edgeMovie: built.graph.edgeMovie.slice() };
    graph.edgeMovie[0] = 9999;
    expect(() => writeSnapshot({ ...built, graph })).toThrow(/inconsistent graph/);
  });
  test('the magic is CINESAGE', () => {
    expect(new TextDecoder().decode(SNAPSHOT_MAGIC)).toBe('CINESAGE');
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('CINESAGE');
  });
});

describe('the optional movies.links section (IMDb and TMDB ids)', () => {
  const linked = built.movies.map((m, i) => ({
    ...m,
    links: i % 4 === 3 ? { imdbId: null, tmdbId: null } : { imdbId: 114709 + i, tmdbId: i % 2 ? null : 862 + i },
  }));
  const linkedBytes = writeSnapshot({ ...built, movies: linked, build: { tool: 'test' } });
  const entryOf = (file: Uint8Array, name: string) => {
    const snap = readSnapshot(file);
    const index = snap.sections.findIndex((s) => s.name === name);
    return { index, section: snap.sections[index], entry: FIXED_HEADER_BYTES + index * SECTION_ENTRY_BYTES };
  };

  test('round trip: a zero-copy u32 view, IMDb then TMDB id per movie, 0 where unknown', async () => {
    const snap = readSnapshot(linkedBytes);
    const links = snap.movies.links as Uint32Array;
    expect(links).toBeInstanceOf(Uint32Array);
    expect(links.buffer).toBe(linkedBytes.buffer);
    expect(Array.from(links)).toEqual(linked.flatMap((m) => [m.links.imdbId ?? 0, m.links.tmdbId ?? 0]));
    expect(snap.sections.at(-1)).toMatchObject({ name: 'movies.links', kind: 'array', dtype: 'u32' });
    expectSameGraph(snap.graph, built.graph);
    await verifySnapshotHash(linkedBytes);
    expect(writeSnapshot({ ...built, movies: linked, build: { tool: 'test' } })).toEqual(linkedBytes);
  });

  test('summaries carry the pages: IMDb padded to 7 digits, TMDB by number, null where unknown', () => {
    const catalog = new Catalog(readSnapshot(linkedBytes));
    expect(catalog.summary(0)).toMatchObject({
      imdbUrl: 'https://www.imdb.com/title/tt0114709/',
      tmdbUrl: 'https://www.themoviedb.org/movie/862',
    });
    expect(catalog.summary(1)).toMatchObject({ imdbUrl: 'https://www.imdb.com/title/tt0114710/', tmdbUrl: null });
    expect(catalog.summary(3)).toMatchObject({ imdbUrl: null, tmdbUrl: null });
  });

  test('without links the section is left out: same bytes as before links existed, and null links', () => {
    const snap = readSnapshot(bytes);
    expect(snap.sections.map((s) => s.name)).not.toContain('movies.links');
    expect(snap.sections).toHaveLength(18);
    expect(snap.movies.links).toBeNull();
    expect(new Catalog(snap).summary(0)).toMatchObject({ imdbUrl: null, tmdbUrl: null });
    expect(linkedBytes.length).toBeGreaterThan(bytes.length);
    expect(snap.formatVersion).toBe(1);
  });

  test('a links section of the wrong length is rejected, naming the section', () => {
    const { section, entry } = entryOf(linkedBytes, 'movies.links');
    const shorter = section.byteLength - 8;
    const fileLength = alignUp(section.offset + shorter);
    const copy = linkedBytes.slice(0, fileLength);
    const view = new DataView(copy.buffer);
    view.setUint32(HEADER.fileLength, fileLength, true);
    view.setUint32(entry + 48, shorter, true);
    const count = built.graph.numMovies;
    expectFormatError(
      () => readSnapshot(copy, 'links.bin'),
      new RegExp(`^links\\.bin: movies\\.links has ${2 * count - 2} words, not ${2 * count}`),
    );
  });

  test('a links section of the wrong element type is rejected', () => {
    const { entry } = entryOf(linkedBytes, 'movies.links');
    const copy = linkedBytes.slice();
    new DataView(copy.buffer).setUint32(entry + 36, 3, true);
    expectFormatError(() => readSnapshot(copy), /section "movies\.links" is array\/i32, expected array\/u32/);
  });

  test('links.csv of the "latest" fixture → snapshot → summaries', async () => {
    const dataset = await loadMovieLens(fixtureDir('ml-latest'));
    const fromFixture = buildGraph(dataset);
    const catalog = new Catalog(readSnapshot(writeSnapshot({ ...fromFixture, build: {} })));
    const summary = (id: number) => catalog.summary(catalog.movieIndex(id));
    expect(summary(1)).toMatchObject({
      imdbUrl: 'https://www.imdb.com/title/tt0000042/',
      tmdbUrl: 'https://www.themoviedb.org/movie/7',
    });
    expect(summary(11)).toMatchObject({ imdbUrl: 'https://www.imdb.com/title/tt0012345/', tmdbUrl: null });
    expect(summary(171749).imdbUrl).toBe('https://www.imdb.com/title/tt12345678/');
    expect(summary(149352)).toMatchObject({ imdbUrl: null, tmdbUrl: null });
  });
});

const dir = movieLensDir();
describe('snapshot of the real ML-100K', () => {
  test('build → write → read gives identical arrays', async () => {
    const ml = buildGraph(await loadMovieLens(dir));
    const file = writeSnapshot({ ...ml, build: {} });
    const snap = readSnapshot(file);
    await verifySnapshotHash(file);
    expect(snap.graph.numUsers).toBe(943);
    expect(snap.graph.numMovies).toBe(1682);
    expect(snap.graph.numEdges).toBe(100_000);
    expectSameGraph(snap.graph, ml.graph);
    expect(snap.featureSpec).toEqual(ml.spec);
    expect(snap.movies.titles()).toEqual(ml.movies.map((m) => m.title));
    expect(snap.movies.title(542)).toBe('Misérables, Les (1995)');
  });
});
