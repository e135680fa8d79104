/**
 * The GraphSAGE model as an evaluated method. Fitting trains on the split's training graph only (for the
 * visitor split the held-out users are not nodes of it: `--exclude-users` semantics), then runs one full
 * forward. Training-graph users are scored from that forward; a visitor goes through exactly the browser's
 * path: `buildVisitorCache` + `visitorEmbedding` (the exact single-user update, appending the visitor as a
 * new node with the no-demographics feature row) + `scoreAll` against the cached movie embeddings.
 *
 * The ranking adds the neighbourhood term of the user's ratings over the training graph (src/core/recommend/
 * neighbours.ts, weight `calibration.neighbourWeight`), as the browser does with the artifacts' rater lists.
 *
 * Stars come from `starPredictor` (src/core/recommend/stars.ts, as in the browser): the rating head on the
 * user's z and their own stars (a graph user's training ratings, a visitor's revealed ones), z_m from the
 * same forward (the visitor cache's movie embeddings for a visitor), corrected by the neighbourhood of
 * those ratings.
 */
import { userFeatureRow } from '../../src/core/features.ts';
import type { RatingGraph } from '../../src/core/graph.ts';
import { forward, type MessageGraph } from '../../src/core/model/forward.ts';
import type { ModelParams } from '../../src/core/model/params.ts';
import { buildVisitorCache, visitorEmbedding } from '../../src/core/model/visitor.ts';
import { addNeighbourTerm, raterListsOf, ratingPairs } from '../../src/core/recommend/neighbours.ts';
import { scoreAll } from '../../src/core/recommend/rank.ts';
import { type StarPredictor, starPredictor } from '../../src/core/recommend/stars.ts';
import { DEFAULT_TRAIN_OPTIONS, trainModel } from '../train/train.ts';
import type { FitContext, Method, Recommender } from './recommender.ts';

/** What a training function gives back: the weights, and whether graph users keep their demographics. */
export interface TrainedModel {
  params: ModelParams;
  /** False when the model was trained with every user on the unknown row (the trainer's feature dropout 1). */
  usesDemographics: boolean;
  info?: Record<string, number | string>;
}

/** Trains on a graph; `unknownUserRow` is the visitor's (no demographics) feature row. */
export type TrainFn = (
  graph: RatingGraph,
  ctx: FitContext,
  unknownUserRow: Float32Array,
) => TrainedModel | Promise<TrainedModel>;

/** A fitted model recommender, with its embeddings for export. */
export interface ModelRecommender extends Recommender {
  dim: number;
  /** numUsers × dim and numMovies × dim of the training graph's full forward. */
  userEmb: Float32Array;
  movieEmb: Float32Array;
  graph: RatingGraph;
}

export function graphSage(train: TrainFn, name = 'GraphSAGE'): Method {
  return {
    name,
    async fit(ctx): Promise<ModelRecommender> {
      const { graph } = ctx.split;
      const unknownRow = userFeatureRow(ctx.split.built.spec, null);
      const trained = await train(graph, ctx, unknownRow);
      const { params } = trained;
      const view = inferenceGraph(graph, trained.usesDemographics ? null : unknownRow);
      const fwd = forward(view, params);
      const cache = buildVisitorCache(view, params, fwd.movieEmb);
      const dim = fwd.dim;
      const scale = 1 / params.config.temperature;
      const userZ = (u: number) => fwd.userEmb.subarray(u * dim, (u + 1) * dim);
      const visitorZ = (movies: Int32Array, ratings: Float32Array) =>
        visitorEmbedding(cache, params, unknownRow, movies, ratings);
      const raters = raterListsOf(graph);
      const weight = params.calibration.neighbourWeight ?? 0;
      return {
        dim,
        userEmb: fwd.userEmb,
        movieEmb: fwd.movieEmb,
        graph,
        info: trained.info,
        scoreUser(u, out) {
          scoreAll(userZ(u), fwd.movieEmb, dim, out, scale);
          const [from, to] = [graph.userPtr[u], graph.userPtr[u + 1]];
          addNeighbourTerm(
            raters,
            graph.edgeMovie.subarray(from, to),
            graph.edgeRating.subarray(from, to),
            weight,
            out,
          );
        },
        scoreNewUser(movies, ratings, out) {
          scoreAll(visitorZ(movies, ratings), cache.movieEmb, dim, out, scale);
          addNeighbourTerm(raters, movies, ratings, weight, out);
        },
        predictUser(u, movies, out) {
          const [from, to] = [graph.userPtr[u], graph.userPtr[u + 1]];
          const rated = ratingPairs(graph.edgeMovie.subarray(from, to), graph.edgeRating.subarray(from, to));
          predictInto(starPredictor(params, userZ(u), fwd.movieEmb, rated, raters), movies, out);
        },
        predictNewUser(revealedMovies, revealedRatings, movies, out) {
          const z = visitorZ(revealedMovies, revealedRatings);
          const rated = ratingPairs(revealedMovies, revealedRatings);
          predictInto(starPredictor(params, z, cache.movieEmb, rated, raters), movies, out);
        },
      };
    },
  };
}

/** The predictor's stars for each of `movies`. */
function predictInto(stars: StarPredictor, movies: Int32Array, out: Float32Array): void {
  for (let i = 0; i < movies.length; i++) out[i] = stars(movies[i]);
}

/** The graph as the model sees it at inference: every user on `userRow` when given, else unchanged. */
function inferenceGraph(graph: RatingGraph, userRow: Float32Array | null): MessageGraph {
  if (!userRow) return graph;
  const userFeatures = new Float32Array(graph.numUsers * graph.userFeatureDim);
  for (let u = 0; u < graph.numUsers; u++) userFeatures.set(userRow, u * graph.userFeatureDim);
  return { ...graph, userFeatures };
}

/** The trainer's `trainModel` with its defaults, seeded from the fit context, progress to the log. */
export const trainWithDefaults: TrainFn = (graph, ctx, unknownUserRow) => {
  const t0 = performance.now();
  const r = trainModel(graph, {
    seed: ctx.seed,
    unknownUserRow,
    onProgress: (p) => {
      if (!Number.isNaN(p.valRecall)) {
        ctx.log(
          `GraphSAGE ${ctx.split.name}: epoch ${p.epoch} loss ${p.loss.toFixed(4)} val Recall@20 ${p.valRecall.toFixed(4)}`,
        );
      }
    },
  });
  return {
    params: r.params,
    usesDemographics: DEFAULT_TRAIN_OPTIONS.userFeatureDropout < 1,
    info: {
      bestEpoch: r.bestEpoch,
      popularityPrior: r.popularityPrior,
      neighbourWeight: r.params.calibration.neighbourWeight ?? 0,
      epochs: r.history.length,
      trainSeconds: Math.round((performance.now() - t0) / 100) / 10,
    },
  };
};
