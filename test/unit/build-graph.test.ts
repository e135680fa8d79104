import { describe, expect, test } from 'vitest';
import { buildGraph } from '../../pipeline/data/build-graph.ts';
import type { Dataset } from '../../src/core/dataset.ts';
import { ArtifactFormatError } from '../../src/core/errors.ts';
import { fitFeatureScalers, movieFeatureRow, parseFeatureSpec, userFeatureRow } from '../../src/core/features.ts';

function table(rows: [number, number, number, number][]) {
  return {
    length: rows.length,
    user: Int32Array.from(rows, (r) => r[0]),
    movie: Int32Array.from(rows, (r) => r[1]),
    rating: Float32Array.from(rows, (r) => r[2]),
    timestamp: Uint32Array.from(rows, (r) => r[3]),
  };
}

const dataset: Dataset = {
  name: 'tiny',
  format: 'ml-100k',
  genres: ['Action', 'Drama'],
  occupations: ['artist', 'student'],
  users: [
    { id: 3, age: 20, gender: 'F', occupation: 'student' },
    { id: 5, age: 40, gender: 'M', occupation: 'artist' },
    { id: 8, age: null, gender: null, occupation: null },
    { id: 9, age: 60, gender: 'M', occupation: 'artist' },
  ],
  movies: [
    { id: 10, title: 'A (1990)', year: 1990, genres: ['Action'] },
    { id: 20, title: 'B', year: null, genres: ['Action', 'Drama'] },
    { id: 30, title: 'C (2000)', year: 2000, genres: [] },
  ],
  ratings: table([
    [3, 10, 4, 1],
    [5, 20, 2, 2],
    [3, 10, 1, 3], // repeats (3, 10): the later rating wins
    [9, 30, 5, 4],
    [5, 10, 3, 5],
  ]),
};

describe('buildGraph', () => {
  test('nodes in id order, isolated nodes kept, duplicates resolved last-wins', () => {
    const { graph, moviePopularity } = buildGraph(dataset);
    expect(Array.from(graph.userIds)).toEqual([3, 5, 8, 9]);
    expect(Array.from(graph.movieIds)).toEqual([10, 20, 30]);
    expect(graph.numEdges).toBe(4);
    expect(Array.from(graph.userPtr)).toEqual([0, 1, 3, 3, 4]);
    expect(Array.from(graph.edgeMovie)).toEqual([0, 0, 1, 2]);
    expect(Array.from(graph.edgeRating)).toEqual([1, 3, 2, 5]);
    expect(Array.from(graph.edgeTime)).toEqual([3, 5, 2, 4]);
    expect(Array.from(moviePopularity)).toEqual([2, 1, 1]);
    expect(Array.from(graph.moviePtr)).toEqual([0, 2, 3, 4]);
    expect(Array.from(graph.movieAdjUser)).toEqual([0, 1, 1, 3]);
  });

  test('excluded users are not nodes and lose their edges; the spec sees only the remaining edges', () => {
    const { graph, spec, users } = buildGraph(dataset, { excludeUsers: new Set([5]) });
    expect(users.map((u) => u.id)).toEqual([3, 8, 9]);
    expect(Array.from(graph.userIds)).toEqual([3, 8, 9]);
    expect(graph.numEdges).toBe(2);
    expect(spec.movieMeanRating.globalMean).toBe(3);
  });

  test('given ratings become the edges; popularity and mean rating come from them only', () => {
    const train = table([
      [3, 10, 5, 1],
      [5, 10, 5, 2],
    ]);
    const { graph, spec } = buildGraph(dataset, { ratings: train });
    expect(graph.numEdges).toBe(2);
    expect(spec.movieMeanRating.globalMean).toBe(5);
    const col = spec.movieColumns.indexOf('log_popularity');
    const d = graph.movieFeatureDim;
    // Movie 20 and 30 have no training ratings: equal, lower popularity than movie 10.
    expect(graph.movieFeatures[d + col]).toBe(graph.movieFeatures[2 * d + col]);
    expect(graph.movieFeatures[col]).toBeGreaterThan(graph.movieFeatures[d + col]);
  });

  test('a rating naming an unknown movie is an error', () => {
    expect(() => buildGraph(dataset, { ratings: table([[3, 99, 4, 1]]) })).toThrow(/movie 99/);
  });
});

describe('feature spec', () => {
  const spec = fitFeatureScalers(dataset, dataset.ratings);

  test('column names cover every row value', () => {
    expect(spec.movieColumns).toEqual([
      'genre:Action',
      'genre:Drama',
      'year',
      'year_unknown',
      'log_popularity',
      'mean_rating',
    ]);
    expect(spec.userColumns).toEqual([
      'age',
      'age_unknown',
      'gender:M',
      'gender:F',
      'gender_unknown',
      'occupation:artist',
      'occupation:student',
      'occupation_unknown',
      'no_demographics',
    ]);
  });

  test('a visitor without demographics gets a valid row of unknown flags', () => {
    expect(Array.from(userFeatureRow(spec, null))).toEqual([0, 1, 0, 0, 1, 0, 0, 1, 1]);
  });

  test('a user row standardises age with the training raters only and one-hots the rest', () => {
    // Raters: ages 20, 40, 60 → mean 40.
    expect(spec.userAge.mean).toBe(40);
    const row = userFeatureRow(spec, { age: 60, gender: 'F', occupation: 'unknown job' });
    expect(row[0]).toBeCloseTo(20 / spec.userAge.std, 6);
    expect(Array.from(row.subarray(1))).toEqual([0, 0, 1, 0, 0, 0, 1, 0]);
  });

  test('movie rows: multi-hot genres, unknown-year flag, shrunk mean rating', () => {
    const noYear = movieFeatureRow(spec, { year: null, genres: ['Drama'] }, { count: 0, sum: 0 });
    expect(Array.from(noYear.subarray(0, 4))).toEqual([0, 1, 0, 1]);
    // With no ratings the shrunk mean is the global mean.
    const m = spec.movieMeanRating;
    expect(noYear[5]).toBeCloseTo((m.globalMean - m.mean) / m.std, 6);
    const rated = movieFeatureRow(spec, { year: 2000, genres: [] }, { count: 1, sum: 5 });
    const shrunk = (5 + m.priorWeight * m.globalMean) / (1 + m.priorWeight);
    expect(rated[5]).toBeCloseTo((shrunk - m.mean) / m.std, 6);
  });

  test('the spec survives JSON and rejects a tampered copy', () => {
    expect(parseFeatureSpec(JSON.parse(JSON.stringify(spec)), 'x')).toEqual(spec);
    const bad = { ...spec, movieColumns: spec.movieColumns.slice(1) };
    expect(() => parseFeatureSpec(bad, 'snapshot.bin')).toThrow(ArtifactFormatError);
  });
});
