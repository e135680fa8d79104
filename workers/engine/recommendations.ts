/**
 * A recommendation request answered: for the visitor (their exact embedding against the snapshot's movie
 * embeddings, or the popular list before their first rating or before the model is in) or for a data set
 * user ("browse as", waiting for the model, against
 * the current graph's embeddings), through the one `recommend()` in src/core, shaped for the page with
 * summaries, rounded stars, reasons by title and the position on the taste map. Also a single predicted
 * rating, with the same model calls.
 */
import type { Recommendation, RecommendRequest, RecommendResult } from '../../src/core/api.ts';
import { project } from '../../src/core/projection.ts';
import { createBitset } from '../../src/core/recommend/rank.ts';
import { type Pick, recommend } from '../../src/core/recommend/recommend.ts';
import { starPredictor } from '../../src/core/recommend/stars.ts';
import type { Engine, ModelEngine } from './startup.ts';
import type { StatusBoard } from './status.ts';

export async function recommendFor(e: Engine, req: RecommendRequest, board: StatusBoard): Promise<RecommendResult> {
  const n = Math.max(1, Math.min(req.n ?? 20, 500));
  const excludeRated = req.excludeRated ?? true;
  const excludeLow = req.excludeLowRated ?? true;
  const filter = e.catalog.candidateFilter(req);
  const timings = board.status.timings;
  if (req.userId === undefined) {
    const t0 = performance.now();
    const model = e.model;
    const z = model ? e.session.z : null;
    const picks = recommend(e.catalog, model?.ranker ?? null, {
      z,
      movieEmb: model?.movieEmb ?? new Float32Array(0),
      rated: e.session.rated(),
      exclude: e.session.exclusion(excludeRated, excludeLow),
      filter,
      n,
    });
    timings.lastScoringMs = performance.now() - t0;
    return {
      items: present(e, picks),
      forUser: 'you',
      popularFallback: !z,
      personalising: !model,
      ...(model?.approximate && z ? { approximate: true } : {}),
      scoringMs: timings.lastScoringMs,
      position: model && z ? project(model.projection(), z) : null,
    };
  }
  const model = await e.modelReady;
  const u = await model.users.userIndex(req.userId);
  const live = await model.users.embeddings();
  const t1 = performance.now();
  const { rated, low } = await model.users.ratings(u);
  const exclude = excludeRated
    ? (await model.users.ratedBits(u)).slice()
    : excludeLow
      ? low
      : createBitset(e.catalog.numMovies);
  const dim = model.ranker.dim;
  const z = live.userEmb.subarray(u * dim, (u + 1) * dim);
  const picks = recommend(e.catalog, model.ranker, { z, movieEmb: live.movieEmb, rated, exclude, filter, n });
  timings.lastScoringMs = performance.now() - t1;
  return {
    items: present(e, picks),
    forUser: `MovieLens user ${req.userId}`,
    popularFallback: false,
    scoringMs: timings.lastScoringMs,
    position: project(model.projection(), z),
  };
}

/** Picks as the page shows them: the movie's summary, stars to one decimal, reasons by id and title. */
function present(e: Engine, picks: Pick[]): Recommendation[] {
  const ids = e.catalog.movieIds;
  return picks.map((p) => ({
    ...e.catalog.summary(p.movie),
    score: p.score,
    predictedRating: Math.round(p.predicted * 10) / 10,
    because: p.because.map((r) => ({ movieId: ids[r], title: e.catalog.titles[r] })),
  }));
}

/** Predicted stars of one movie for the visitor, or for a data set user in the current graph. */
export async function predictedStars(e: Engine, model: ModelEngine, movieId: number, userId?: number): Promise<number> {
  const m = e.catalog.movieIndex(movieId);
  const { params, movieEmb, ranker } = model;
  if (userId === undefined) return starPredictor(params, e.session.z, movieEmb, e.session.rated(), ranker.raters)(m);
  const u = await model.users.userIndex(userId);
  const live = await model.users.embeddings();
  const { rated } = await model.users.ratings(u);
  const z = live.userEmb.subarray(u * ranker.dim, (u + 1) * ranker.dim);
  return starPredictor(params, z, live.movieEmb, rated, ranker.raters)(m);
}
