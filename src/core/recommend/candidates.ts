/**
 * Candidate pre-filtering and scoring for one user: the exclusion bitset (rated, low-rated, and movies the
 * filters rule out — genre, release years, popularity) is built first, then only the remaining movies are
 * scored against the user's embedding and the top N kept, and each pick gets the liked movies that
 * explain it best. Pure: no DOM or Node imports.
 */
import { createBitset, hasBit, setBit, topN } from './rank.ts';

/** Stars at or below which a rating is a dislike. */
const DISLIKED_UP_TO = 2;

export interface CandidateFilter {
  /** Genre indices; a movie passes with any of them. Empty or absent: every genre. */
  genres?: number[];
  years?: [number, number];
  minPopularity?: number;
}

export interface CatalogFacts {
  numMovies: number;
  /** genreWords Uint32 words per movie; bit g set when the movie has genre g. */
  genreMask: Uint32Array;
  genreWords: number;
  /** Release year, 0 when unknown. */
  year: Int16Array;
  popularity: Int32Array;
}

/** Sets the bit of every movie the filter rules out (on top of what `exclude` already holds). */
export function applyFilter(catalog: CatalogFacts, filter: CandidateFilter, exclude: Uint8Array): Uint8Array {
  const { numMovies, genreMask, genreWords, year, popularity } = catalog;
  let wanted: Uint32Array | null = null;
  if (filter.genres && filter.genres.length > 0) {
    wanted = new Uint32Array(genreWords);
    for (const g of filter.genres) wanted[g >> 5] |= 1 << (g & 31);
  }
  const [from, to] = filter.years ?? [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  const minPop = filter.minPopularity ?? 0;
  for (let m = 0; m < numMovies; m++) {
    let ok = popularity[m] >= minPop;
    if (ok && filter.years) ok = year[m] !== 0 && year[m] >= from && year[m] <= to;
    if (ok && wanted) {
      let any = false;
      for (let w = 0; w < genreWords; w++) if ((genreMask[m * genreWords + w] & wanted[w]) !== 0) any = true;
      ok = any;
    }
    if (!ok) setBit(exclude, m);
  }
  return exclude;
}

/**
 * Scores the movies whose bit is clear (excluded ones get -Infinity and are never picked) and returns the
 * best n, best first, with their scores. Four movies at a time, each summed in column order on its own
 * accumulator: the same numbers as one at a time (bit for bit), but four independent addition chains keep
 * the CPU busy (bench: 8.2 → 5.1 ms for 87,585 movies × 64 in Node). With `boost` (one value per movie,
 * e.g. the neighbourhood term) the ranking score is the model's plus it; `modelScore` keeps the model's own.
 */
export function scoreCandidates(
  z: ArrayLike<number>,
  movieEmb: ArrayLike<number>,
  dim: number,
  numMovies: number,
  exclude: Uint8Array,
  n: number,
  scale = 1,
  boost: Float32Array | null = null,
): { index: Int32Array; score: Float32Array; modelScore: Float32Array } {
  const scores = new Float32Array(numMovies);
  let m = 0;
  for (; m + 4 <= numMovies; m += 4) {
    const o0 = m * dim;
    const o1 = o0 + dim;
    const o2 = o1 + dim;
    const o3 = o2 + dim;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < dim; j++) {
      const zj = z[j];
      s0 += zj * movieEmb[o0 + j];
      s1 += zj * movieEmb[o1 + j];
      s2 += zj * movieEmb[o2 + j];
      s3 += zj * movieEmb[o3 + j];
    }
    scores[m] = s0 * scale;
    scores[m + 1] = s1 * scale;
    scores[m + 2] = s2 * scale;
    scores[m + 3] = s3 * scale;
  }
  for (; m < numMovies; m++) {
    const o = m * dim;
    let s = 0;
    for (let j = 0; j < dim; j++) s += z[j] * movieEmb[o + j];
    scores[m] = s * scale;
  }
  let ranked = scores;
  if (boost) {
    ranked = new Float32Array(numMovies);
    for (let k = 0; k < numMovies; k++) ranked[k] = scores[k] + boost[k];
  }
  for (let k = 0; k < numMovies; k++) if (hasBit(exclude, k)) ranked[k] = Number.NEGATIVE_INFINITY;
  const index = topN(ranked, n, exclude);
  return {
    index,
    score: Float32Array.from(index, (k) => ranked[k]),
    modelScore: Float32Array.from(index, (k) => scores[k]),
  };
}

/**
 * The "because you rated …" reason for movie `target`: up to `count` movies the visitor liked (stars ≥
 * `likedFrom`) whose embeddings are most similar to it, best first. `rated` pairs movie indices with stars;
 * similarity is over the first `width` of the `dim` columns (the taste part: a score column such as the
 * popularity prior's says nothing about how alike two movies are). Never cites a neutral or disliked movie;
 * when the rated movie most similar to the target is a dislike (stars ≤ 2), or nothing was liked, there is no
 * honest reason and the result is empty.
 */
export function explain(
  target: number,
  rated: readonly { movie: number; stars: number }[],
  movieEmb: ArrayLike<number>,
  dim: number,
  width = dim,
  count = 2,
  likedFrom = 4,
): number[] {
  const scored = rated.map((r) => {
    let s = 0;
    for (let j = 0; j < width; j++) s += movieEmb[target * dim + j] * movieEmb[r.movie * dim + j];
    return { movie: r.movie, stars: r.stars, s };
  });
  scored.sort((a, b) => b.s - a.s || a.movie - b.movie);
  if (scored.length === 0 || scored[0].stars <= DISLIKED_UP_TO) return [];
  return scored
    .filter((r) => r.stars >= likedFrom)
    .slice(0, count)
    .map((r) => r.movie);
}

export { createBitset, hasBit, setBit };
