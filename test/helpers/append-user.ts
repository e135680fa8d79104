/**
 * Test helper: the base graph with one more user appended (feature row `row`) who rated movie → stars, as
 * the exact visitor update defines it (the new user is the last neighbour of each movie it rated).
 */
import { buildCsr, type RatingGraph } from '../../src/core/graph.ts';

export function appendUser(g: RatingGraph, row: Float32Array, ratings: Map<number, number>): RatingGraph {
  const n = g.numEdges + ratings.size;
  const user = new Int32Array(n);
  const movie = new Int32Array(n);
  const stars = new Float32Array(n);
  for (let u = 0; u < g.numUsers; u++) {
    for (let e = g.userPtr[u]; e < g.userPtr[u + 1]; e++) {
      user[e] = u;
      movie[e] = g.edgeMovie[e];
      stars[e] = g.edgeRating[e];
    }
  }
  user.fill(g.numUsers, g.numEdges);
  movie.set([...ratings.keys()], g.numEdges);
  stars.set([...ratings.values()], g.numEdges);
  const csr = buildCsr(g.numUsers + 1, g.numMovies, user, movie, stars, new Uint32Array(n));
  const userFeatures = new Float32Array((g.numUsers + 1) * g.userFeatureDim);
  userFeatures.set(g.userFeatures);
  userFeatures.set(row, g.numUsers * g.userFeatureDim);
  return { ...g, ...csr, numUsers: g.numUsers + 1, userFeatures, userIds: Int32Array.from([...g.userIds, -1]) };
}
