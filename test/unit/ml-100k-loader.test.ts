import { describe, expect, test } from 'vitest';
import { buildGraph } from '../../pipeline/data/build-graph.ts';
import { loadMovieLens } from '../../pipeline/data/movielens.ts';
import { degrees } from '../../src/core/graph.ts';
import { movieLensDir } from '../support/movielens.ts';

const dir = movieLensDir();

describe('ML-100K (real data)', () => {
  test('loads every user, movie and rating with the official counts', async () => {
    const ds = await loadMovieLens(dir);
    expect(ds.format).toBe('ml-100k');
    expect(ds.users.length).toBe(943);
    expect(ds.movies.length).toBe(1682);
    expect(ds.ratings.length).toBe(100_000);
    const perStar = [0, 0, 0, 0, 0];
    for (const r of ds.ratings.rating) perStar[r - 1]++;
    expect(perStar).toEqual([6110, 11370, 27145, 34174, 21201]);
    expect(ds.genres.length).toBe(19);
    expect(ds.occupations?.length).toBe(21);
    expect(ds.users[0]).toEqual({ id: 1, age: 24, gender: 'M', occupation: 'technician' });
    expect(ds.movies[0]).toEqual({
      id: 1,
      title: 'Toy Story (1995)',
      year: 1995,
      genres: ['Animation', "Children's", 'Comedy'],
    });
    // Latin-1 decoded, and the one movie without any metadata.
    expect(ds.movies[542].title).toBe('Misérables, Les (1995)');
    expect(ds.movies[266]).toEqual({ id: 267, title: 'unknown', year: null, genres: ['unknown'] });
    // Release date, not the title, gives the year.
    expect(ds.movies[9].year).toBe(1996);
  });

  test('a split file keeps all users and movies but only its ratings', async () => {
    const ds = await loadMovieLens(dir, 'ml-100k', { ratingsFile: 'u1.test' });
    expect(ds.ratings.length).toBe(20_000);
    expect(ds.users.length).toBe(943);
    expect(ds.movies.length).toBe(1682);
  });

  test('buildGraph makes every user and movie a node and every rating an edge', async () => {
    const ds = await loadMovieLens(dir);
    const { graph, spec, moviePopularity } = buildGraph(ds);
    expect(graph.numUsers).toBe(943);
    expect(graph.numMovies).toBe(1682);
    expect(graph.numEdges).toBe(100_000);
    expect(graph.userFeatureDim).toBe(spec.userColumns.length);
    expect(graph.movieFeatureDim).toBe(19 + 4);
    const deg = degrees(graph);
    expect(Math.min(...deg.user)).toBe(20);
    expect(Array.from(deg.movie)).toEqual(Array.from(moviePopularity));
    // Toy Story has 452 ratings in ML-100K.
    expect(deg.movie[0]).toBe(452);
    expect(graph.userIds[942]).toBe(943);
  });

  test('with the u1 training split, movies unseen in training are isolated nodes and features use only u1.base', async () => {
    const base = await loadMovieLens(dir, 'ml-100k', { ratingsFile: 'u1.base' });
    const full = await loadMovieLens(dir);
    const built = buildGraph(full, { ratings: base.ratings });
    expect(built.graph.numMovies).toBe(1682);
    expect(built.graph.numEdges).toBe(80_000);
    const isolated = Array.from(degrees(built.graph).movie).filter((d) => d === 0).length;
    expect(isolated).toBeGreaterThan(0);
    const fullSpec = buildGraph(full).spec;
    expect(built.spec.movieLogPopularity.mean).toBeLessThan(fullSpec.movieLogPopularity.mean);
  });
});
