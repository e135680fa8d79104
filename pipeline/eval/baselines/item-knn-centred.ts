/**
 * ItemKNN (centred), the rating-aware neighbourhood baseline: item–item cosine over user-mean-centred
 * ratings (adjusted cosine, Sarwar et al. 2001), sim(i, j) = Σ_u c_ui·c_uj / (‖c_i‖·‖c_j‖ + shrink) with
 * c_ui = r_ui − mean_u, and a user scores movie j as Σ over their rated movies i of sim(i, j)·c_ui: a movie
 * like one they rated 5 rises, one like a movie they rated 1 sinks. A visitor is centred on the mean of their
 * revealed ratings. The shrink term damps similarities resting on few co-raters; it is tuned by Recall@20 on
 * the split's validation split.
 */
import type { RatingGraph } from '../../../src/core/graph.ts';
import type { Method, Recommender } from '../recommender.ts';
import { byRecall, tuneOnValidation } from '../tune.ts';
import { cosineFromGram, gramMatrix, rowSumRecommender } from './item-matrix.ts';

/** Shrink values tried on the validation split (on ML-100K Recall@20 still rises at 400). */
export const CENTRED_KNN_SHRINK_GRID = [10, 50, 100, 200, 400, 800, 1600, 3200];

/** Stars minus their mean (all zeros when empty). */
export function centre(ratings: ArrayLike<number>): Float32Array {
  let s = 0;
  for (let i = 0; i < ratings.length; i++) s += ratings[i];
  const mean = ratings.length ? s / ratings.length : 0;
  return Float32Array.from(ratings, (r) => r - mean);
}

/** Each training edge's stars minus its user's mean rating, parallel to the user-major edges. */
export function centredEdgeRatings(graph: RatingGraph): Float32Array {
  const out = new Float32Array(graph.numEdges);
  for (let u = 0; u < graph.numUsers; u++) {
    const [start, end] = [graph.userPtr[u], graph.userPtr[u + 1]];
    out.set(centre(graph.edgeRating.subarray(start, end)), start);
  }
  return out;
}

/** The adjusted-cosine similarity matrix, numMovies² row-major. */
export function centredKnnMatrix(graph: RatingGraph, shrink: number): Float32Array {
  return cosineFromGram(gramMatrix(graph, centredEdgeRatings(graph)), graph.numMovies, 0, shrink);
}

/** The recommender: a user's row holds their centred ratings. */
function centredKnnRecommender(graph: RatingGraph, shrink: number) {
  const weights = { edges: centredEdgeRatings(graph), newUser: centre };
  return rowSumRecommender(graph, centredKnnMatrix(graph, shrink), weights);
}

export function centredItemKnn(opts: { shrink?: number; grid?: number[] } = {}): Method {
  return {
    name: 'ItemKNN (centred)',
    deterministic: true,
    async fit(ctx): Promise<Recommender> {
      const shrink =
        opts.shrink ??
        (await tuneOnValidation(ctx, {
          name: 'ItemKNN (centred)',
          grid: opts.grid ?? CENTRED_KNN_SHRINK_GRID,
          fit: (val, s) => centredKnnRecommender(val.graph, s),
          ...byRecall,
        }));
      return { ...centredKnnRecommender(ctx.split.graph, shrink), info: { shrink } };
    },
  };
}
