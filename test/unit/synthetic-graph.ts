/**
 * Small random rating graphs for model tests: random features, random edges, at least one isolated user
 * and one isolated movie (the zero-vector aggregation case).
 */

import { Rng } from '../../pipeline/train/rng.ts';
import { buildCsr, type RatingGraph } from '../../src/core/graph.ts';

export function syntheticGraph(
  seed: number,
  numUsers: number,
  numMovies: number,
  numEdges: number,
  userFeatureDim = 4,
  movieFeatureDim = 5,
): RatingGraph {
  const rng = new Rng(seed);
  const seen = new Set<number>();
  const us: number[] = [];
  const ms: number[] = [];
  // The last user and the last movie stay isolated.
  for (let tries = 0; us.length < numEdges && tries < numEdges * 20; tries++) {
    const u = rng.int(numUsers - 1);
    const m = rng.int(numMovies - 1);
    if (seen.has(u * numMovies + m)) continue;
    seen.add(u * numMovies + m);
    us.push(u);
    ms.push(m);
  }
  const n = us.length;
  const rating = new Float32Array(n).map(() => 1 + rng.int(5));
  const time = new Uint32Array(n).map(() => 1e9 + rng.int(1e6));
  const csr = buildCsr(numUsers, numMovies, Int32Array.from(us), Int32Array.from(ms), rating, time);
  const feat = (k: number) => new Float32Array(k).map(() => (rng.float() < 0.4 ? 0 : rng.normal()));
  return {
    numUsers,
    numMovies,
    ...csr,
    userFeatureDim,
    movieFeatureDim,
    userFeatures: feat(numUsers * userFeatureDim),
    movieFeatures: feat(numMovies * movieFeatureDim),
    userIds: Int32Array.from({ length: numUsers }, (_, i) => i + 1),
    movieIds: Int32Array.from({ length: numMovies }, (_, i) => i + 1),
  };
}
