/**
 * Test helper: a rating graph with planted structure for training tests — users and movies in `groups`
 * taste groups, and each user rates mostly (and highly) movies of their own group.
 */
import { Rng } from '../../pipeline/train/rng.ts';
import { buildCsr, type RatingGraph } from '../../src/core/graph.ts';

export interface PlantedShape {
  seed: number;
  users: number;
  movies: number;
  /** Draws per user (repeats are skipped, so a user rates at most this many). */
  perUser: number;
  groups?: number;
  /** Each edge's timestamp by its draw order (default 0). */
  time?: (i: number) => number;
}

export function plantedGraph({
  seed,
  users: numUsers,
  movies: numMovies,
  perUser,
  groups = 4,
  time,
}: PlantedShape): RatingGraph {
  const rng = new Rng(seed);
  const us: number[] = [];
  const ms: number[] = [];
  const rs: number[] = [];
  for (let u = 0; u < numUsers; u++) {
    const seen = new Set<number>();
    for (let i = 0; i < perUser; i++) {
      const own = rng.float() < 0.85;
      let m = rng.int(numMovies);
      if (own) m = (m - (m % groups) + (u % groups)) % numMovies;
      if (seen.has(m)) continue;
      seen.add(m);
      us.push(u);
      ms.push(m);
      rs.push(own ? 4 + rng.int(2) : 1 + rng.int(3));
    }
  }
  const csr = buildCsr(
    numUsers,
    numMovies,
    Int32Array.from(us),
    Int32Array.from(ms),
    Float32Array.from(rs),
    Uint32Array.from(us, (_, i) => time?.(i) ?? 0),
  );
  return {
    numUsers,
    numMovies,
    ...csr,
    userFeatureDim: 3,
    movieFeatureDim: 2,
    userFeatures: new Float32Array(numUsers * 3).map(() => rng.float()),
    movieFeatures: new Float32Array(numMovies * 2).map(() => rng.normal()),
    userIds: Int32Array.from({ length: numUsers }, (_, i) => i + 1),
    movieIds: Int32Array.from({ length: numMovies }, (_, i) => i + 1),
  };
}
