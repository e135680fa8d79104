/**
 * The one `recommend()`: filter → score (exact, or the ANN index on large catalogs) → predicted stars →
 * "because you rated …". The inference worker (workers/engine/recommendations.ts) and the `recommend` CLI
 * (pipeline/artifacts/recommend.ts) both call it, so a list from the CLI is the list the browser shows.
 *
 * Ranking uses `rankingQuery(params, z)` (the model's relevance blended with the rating head's stars for
 * this user) plus, where the artifacts carry the graph's rater lists, the neighbourhood term of the user's
 * ratings (neighbours.ts); the stars come from `starPredictor` (stars.ts: the rating head on the model's own
 * score, corrected by the neighbourhood of the user's ratings).
 * With no embedding (nothing rated yet) the list is the most-rated movies, with the stars the head predicts
 * for someone it knows nothing about; with no model yet (the browser's first moments), the same list with
 * the catalog's own expected stars. Pure: no DOM or Node imports.
 */
import type { Catalog } from '../catalog.ts';
import { baseEmbeddingDim, type VisitorParams } from '../model/params.ts';
import { predictRating, rankingQuery, userRatingContext } from '../model/predict.ts';
import { IvfIndex, type MovieIndex } from './ann.ts';
import { applyFilter, type CandidateFilter, explain, scoreCandidates } from './candidates.ts';
import { neighbourScores, type RaterLists } from './neighbours.ts';
import { hasBit } from './rank.ts';
import { starPredictor } from './stars.ts';

/**
 * Catalogs at least this large score through an ANN index over the snapshot's movie embeddings
 * (src/core/recommend/ann.ts; bench/RESULTS.md §3: exact scoring is ~20 ms at 100k items, ~160 ms at 1M).
 * Smaller catalogs are scored exactly.
 */
export const ANN_MIN_ITEMS = 100_000;

/** Stars below this count as "low-rated" for `excludeLowRated`. */
export const LOW_RATING_BELOW = 3;

/** The model side of ranking: its parameters, the embedding width and the ANN index when the catalog is large. */
export interface Ranker {
  params: VisitorParams;
  dim: number;
  /** 1 / temperature: turns z·z_m into the model's score. */
  scale: number;
  /** Over `embeddings` of catalogs of ANN_MIN_ITEMS or more; null for smaller ones. */
  ann: MovieIndex | null;
  /** The training graph's rater lists (the neighbourhood term, the stars' correction), or null: neither. */
  raters: RaterLists | null;
  /** The term's weight (`calibration.neighbourWeight`; 0 without rater lists). */
  neighbourWeight: number;
}

export function createRanker(
  params: VisitorParams,
  movieEmb: Float32Array,
  numMovies: number,
  dim: number,
  raters: RaterLists | null = null,
): Ranker {
  const weight = raters ? (params.calibration.neighbourWeight ?? 0) : 0;
  return {
    params,
    dim,
    scale: 1 / (params.config.temperature || 1),
    ann: numMovies >= ANN_MIN_ITEMS ? new IvfIndex(movieEmb, numMovies, dim) : null,
    raters,
    neighbourWeight: weight,
  };
}

/** The neighbourhood term of these ratings for every movie, or null when the ranker has none. */
export function neighbourTerm(ranker: Ranker, rated: readonly { movie: number; stars: number }[]): Float32Array | null {
  if (!ranker.raters || ranker.neighbourWeight === 0 || rated.length === 0) return null;
  return neighbourScores(ranker.raters, rated, ranker.neighbourWeight);
}

export interface RecommendQuery {
  /** The user's embedding; null when they have rated nothing (the popular list). */
  z: Float32Array | null;
  /** The movie embeddings z is scored against (the ANN is used only when these are the ones it indexes). */
  movieEmb: Float32Array;
  /** The user's ratings by movie index (predicted stars' user offset, and the reasons). */
  rated: readonly { movie: number; stars: number }[];
  /** Movies never to return (rated, low-rated…); the filter's exclusions are added to it in place. */
  exclude: Uint8Array;
  filter: CandidateFilter;
  n: number;
}

export interface Pick {
  movie: number;
  /** The ranking score: the model's score of the ranking query plus the neighbourhood term (0 for the popular list). */
  score: number;
  /** Predicted stars, unrounded. */
  predicted: number;
  /** Movie indices of the liked movies that explain the pick, best first. */
  because: number[];
}

/** The most-rated movies not excluded, with `stars(m)` as their predicted stars. */
function popular(catalog: Catalog, exclude: Uint8Array, n: number, stars: (m: number) => number): Pick[] {
  const out: Pick[] = [];
  for (const m of catalog.byPopularity) {
    if (out.length >= n) break;
    if (hasBit(exclude, m)) continue;
    out.push({ movie: m, score: 0, predicted: stars(m), because: [] });
  }
  return out;
}

/** `ranker` null: the model is not loaded yet (the popular list, whatever z says). */
export function recommend(catalog: Catalog, ranker: Ranker | null, query: RecommendQuery): Pick[] {
  const { z, movieEmb, rated, n } = query;
  const exclude = applyFilter(catalog.facts, query.filter, query.exclude);
  if (!ranker) return popular(catalog, exclude, n, (m) => catalog.priorStars(m));
  const { params, dim, scale, ann } = ranker;
  if (!z) {
    const nobody = userRatingContext(params, null, []);
    return popular(catalog, exclude, n, (m) => predictRating(params, nobody, null, m));
  }
  const q = rankingQuery(params, z);
  // The term touches most movies, so with it the catalog is scored exactly (artifacts carry rater lists
  // only up to NEIGHBOUR_MAX_EDGES ratings, i.e. for catalogs exact scoring handles in milliseconds).
  const boost = neighbourTerm(ranker, rated);
  const { index, score, modelScore } =
    ann && ann.embeddings === movieEmb && !boost
      ? { ...ann.query(q, n, exclude, scale), modelScore: null }
      : scoreCandidates(q, movieEmb, dim, catalog.numMovies, exclude, n, scale, boost);
  const stars = starPredictor(params, z, movieEmb, rated, ranker.raters);
  return [...index].map((m, i) => ({
    movie: m,
    score: score[i],
    predicted: stars(m, modelScore ? modelScore[i] : score[i]),
    because: explain(m, rated, movieEmb, dim, baseEmbeddingDim(params.config)),
  }));
}
