/**
 * The ranking's neighbourhood term: for a user with n ratings (i, stars_i), movie j gains
 *
 *   weight · (1/n) · Σ_i w(stars_i) · |U_i ∩ U_j| / sqrt(|U_i|·|U_j|)   (U_m: the training users who rated m)
 *
 * — item–item cosine over the training graph's binary user × movie matrix (ItemKNN, Deshpande & Karypis;
 * GF-CF's linear filter, Shen et al. 2021) with w = +1 for a like, −0.5 for a dislike, +0.5 between,
 * averaged over the ratings so that it weighs as much against the model for a visitor with 10 ratings as
 * for a data-set user with 500 (summed, it drowned the model for heavy raters: u1 validation −4 %). The
 * GraphSAGE embedding is a low-rank view of the graph; this parameter-free 2-hop propagation keeps the
 * full-rank item–item signal that low rank drops (pipeline/train/README.md § Round 7). It is computed
 * exactly from the movie-major rater lists in two passes (raters of the rated movies, then every movie's
 * raters), O(E), never as an M × M matrix. Pure: no DOM or Node imports.
 */

/** Stars from which a rating counts as a like, and up to which as a dislike, for the term's weights. */
export const NEIGHBOUR_LIKED_FROM = 4;
export const NEIGHBOUR_DISLIKED_UP_TO = 2;
/** The weight of a rating between a dislike and a like (it still says the visitor watches such films). */
export const NEIGHBOUR_NEUTRAL_WEIGHT = 0.5;
/** The weight of a dislike: its co-rated movies are pushed down (weights chosen on validation, § Round 7). */
export const NEIGHBOUR_DISLIKE_WEIGHT = -0.5;

/**
 * Most training ratings for which artifacts carry the rater lists (1–2 bytes each in the serving snapshot,
 * as varint gaps; the term costs one pass over them per list). Larger graphs rank without the term.
 */
export const NEIGHBOUR_MAX_EDGES = 4_000_000;

/** w(stars): +1 for a like, −0.5 for a dislike, +0.5 in between. */
export function neighbourRatingWeight(stars: number): number {
  if (stars >= NEIGHBOUR_LIKED_FROM) return 1;
  if (stars <= NEIGHBOUR_DISLIKED_UP_TO) return NEIGHBOUR_DISLIKE_WEIGHT;
  return NEIGHBOUR_NEUTRAL_WEIGHT;
}

/** Who rated each movie: movie m's raters are users[moviePtr[m] .. moviePtr[m+1]) (a RatingGraph's movie CSR). */
export interface RaterLists {
  numUsers: number;
  numMovies: number;
  moviePtr: Int32Array;
  users: Int32Array;
}

/**
 * The rater lists of a graph (views, no copy), or null above NEIGHBOUR_MAX_EDGES ratings: the same rule
 * the serving snapshot's build applies, so every path ranks a catalog with the term or every path without.
 */
export function raterListsOf(graph: {
  numUsers: number;
  numMovies: number;
  numEdges: number;
  moviePtr: Int32Array;
  movieAdjUser: Int32Array;
}): RaterLists | null {
  if (graph.numEdges > NEIGHBOUR_MAX_EDGES) return null;
  return { numUsers: graph.numUsers, numMovies: graph.numMovies, moviePtr: graph.moviePtr, users: graph.movieAdjUser };
}

/**
 * Per training user u, Σ_k weights[k] / sqrt(|U_{movies[k]}|) over the listed movies u rated: the first
 * pass of every co-rating cosine sum below (O(Σ_k |U_{movies[k]}|)). Float64, ratings in the order given.
 */
function raterWeights(
  lists: RaterLists,
  movies: ArrayLike<number>,
  weights: ArrayLike<number>,
  t: Float64Array = new Float64Array(lists.numUsers),
): Float64Array {
  const { moviePtr, users } = lists;
  t.fill(0, 0, lists.numUsers);
  for (let k = 0; k < movies.length; k++) {
    const m = movies[k];
    const d = moviePtr[m + 1] - moviePtr[m];
    if (d === 0) continue;
    const w = weights[k] / Math.sqrt(d);
    for (let a = moviePtr[m]; a < moviePtr[m + 1]; a++) t[users[a]] += w;
  }
  return t;
}

/** Σ_k weights[k] · cos(movies[k], j) for one movie j, from `raterWeights` of those movies (O(|U_j|)). */
function cosineSum(lists: RaterLists, t: Float64Array, j: number): number {
  const { moviePtr, users } = lists;
  const d = moviePtr[j + 1] - moviePtr[j];
  if (d === 0) return 0;
  let s = 0;
  for (let a = moviePtr[j]; a < moviePtr[j + 1]; a++) s += t[users[a]];
  return s / Math.sqrt(d);
}

/**
 * Writes the term for every movie into `out` (length numMovies) and returns it; all zeros when the weight
 * is 0 or nothing is rated. Sums run in float64 in a fixed order (ratings as given, then raters in list
 * order), so the same ratings in the same order give the same bits.
 */
export function neighbourScores(
  lists: RaterLists,
  rated: readonly { movie: number; stars: number }[],
  weight: number,
  out: Float32Array = new Float32Array(lists.numMovies),
): Float32Array {
  out.fill(0, 0, lists.numMovies);
  if (weight === 0 || rated.length === 0) return out;
  const t = raterWeights(
    lists,
    rated.map((r) => r.movie),
    rated.map((r) => neighbourRatingWeight(r.stars)),
  );
  const scale = weight / rated.length;
  for (let j = 0; j < lists.numMovies; j++) out[j] = scale * cosineSum(lists, t, j);
  return out;
}

/** Parallel movie and star arrays (a graph user's edges, a visitor's revealed ratings) as rating pairs. */
export function ratingPairs(movies: ArrayLike<number>, stars: ArrayLike<number>): { movie: number; stars: number }[] {
  return Array.from({ length: movies.length }, (_, k) => ({ movie: movies[k], stars: stars[k] }));
}

/** Adds the term of the ratings (movies[k], stars[k]) to `scores` in place (nothing when the weight is 0). */
export function addNeighbourTerm(
  lists: RaterLists | null,
  movies: ArrayLike<number>,
  stars: ArrayLike<number>,
  weight: number,
  scores: Float32Array,
): void {
  if (!lists || weight === 0 || movies.length === 0) return;
  const term = neighbourScores(lists, ratingPairs(movies, stars), weight);
  for (let j = 0; j < term.length; j++) scores[j] += term[j];
}
