/**
 * The recommender the inference worker exposes (`InferenceService` in src/core/api.ts): each call mapped
 * onto the engine's parts — start-up (startup.ts), the catalog (src/core/catalog.ts), the visitor
 * (visitor-session.ts), data set users (dataset-users.ts), recommendations (recommendations.ts) and the
 * status (status.ts). Every change to the visitor's ratings is written to IndexedDB before the call
 * resolves.
 */
import type {
  EngineStatus,
  InferenceService,
  ProfileView,
  RecommendRequest,
  RecommendResult,
  VisitorRating,
  WorkerInfo,
} from '../../src/core/api.ts';
import { InvalidRatingError, NotReadyError } from '../../src/core/errors.ts';
import { mostActiveUsers } from '../../src/core/graph.ts';
import { exportProfile, parseProfile, ratingProblem } from '../../src/core/profile-io.ts';
import { project } from '../../src/core/projection.ts';
import { predictedStars, recommendFor } from './recommendations.ts';
import { type Engine, type ModelEngine, startEngine } from './startup.ts';
import { StatusBoard } from './status.ts';

/** The service, and the running engine's parts for a bench-only entry (bench/reference.worker.ts). */
export interface EngineHandle {
  service: InferenceService;
  /** The started engine; `NotReadyError` before `init` has resolved. */
  engine(): Engine;
}

export function createEngine(): EngineHandle {
  let engine: Engine | null = null;
  let starting: Promise<EngineStatus> | null = null;
  const board = new StatusBoard();

  const need = (): Engine => {
    if (!engine) throw new NotReadyError('The recommender is still starting; wait for it to be ready.');
    return engine;
  };

  /** The model part, waiting for it when personalisation is still on its way. */
  const needModel = (): Promise<ModelEngine> => need().modelReady;

  /** Re-derives the state from the running parts (after every change, and before the status is read). */
  const settle = (e: Engine) => {
    board.status.timings.lastUpdateMs = e.session.lastUpdateMs;
    board.refresh({
      store: e.store,
      runner: e.model?.runner ?? null,
      foreignRatings: e.session.foreignCount,
      visitorRatings: e.session.size,
      ratingStep: e.catalog.rules.step,
    });
  };

  /**
   * After the ratings of `movies` changed (in call order, so the last change wins): the exact update's rows
   * of those movies while the model is the code-scored one (a range request, or the whole file); the
   * visitor's embedding is recomputed when they arrive. A failure leaves the list to the popular one.
   */
  const rowsFor = async (e: Engine, movies: readonly number[]) => {
    await e.model?.ensureRows(movies).catch(() => undefined);
  };

  /** Replaces the visitor's ratings (storage already holds them) and keeps the stored bitset in step. */
  const replaceRatings = async (e: Engine, ratings: readonly VisitorRating[]) => {
    e.session.replace(ratings);
    await rowsFor(
      e,
      e.session.rated().map((r) => r.movie),
    );
    e.saveVisitorBits();
    settle(e);
  };

  /** The status with the storage use estimated now. */
  const currentStatus = async (): Promise<EngineStatus> => {
    if (engine) settle(engine);
    const usage = await engine?.store.estimateUsage().catch(() => null);
    board.status.storage.usageBytes = usage?.usage ?? null;
    return board.copy();
  };

  /** What the page repaints from: the ratings, the list for `request`, the status. */
  const viewOf = async (e: Engine, request: RecommendRequest = {}): Promise<ProfileView> => {
    const result = await recommendFor(e, request, board);
    return { ratings: e.session.ratedMovies(), result, status: await currentStatus() };
  };

  /** After one rating changed (and was stored): the bitset stored too, and the view to repaint from. */
  const changed = (e: Engine, request: RecommendRequest | undefined): Promise<ProfileView> => {
    e.saveVisitorBits();
    return viewOf(e, request);
  };

  const service: InferenceService = {
    async ping(): Promise<WorkerInfo> {
      return {
        kind: 'cinesage-worker',
        hasWebGPU: typeof navigator !== 'undefined' && 'gpu' in navigator,
        crossOriginIsolated: globalThis.crossOriginIsolated === true,
      };
    },

    init(options, onProgress = () => undefined) {
      starting ??= startEngine(options, onProgress, board).then(
        (started) => {
          engine = started;
          started.modelReady.then(
            () => settle(started),
            (err: Error) => board.failed(err),
          );
          settle(started);
          return board.copy();
        },
        (err: Error) => {
          starting = null;
          board.failed(err);
          throw err;
        },
      );
      return starting;
    },

    async whenPersonalised() {
      const e = need();
      await e.modelReady;
      return currentStatus();
    },

    async whenPersonal() {
      const e = need();
      await e.personalReady;
      return currentStatus();
    },

    status: currentStatus,

    async genres() {
      return [...need().catalog.movies.genres];
    },

    async yearRange() {
      return need().catalog.yearRange();
    },

    async searchMovies(query, limit = 20) {
      return need().catalog.search(query, limit);
    },

    async browseMovies(options = {}) {
      return need().catalog.browse(options);
    },

    async getRatings() {
      return need().session.ratedMovies();
    },

    async view(request) {
      return viewOf(need(), request);
    },

    async rate(movieId, stars, request) {
      const e = need();
      const m = e.catalog.movieIndex(movieId);
      const problem = ratingProblem(stars, e.catalog.rules);
      if (problem) throw new InvalidRatingError(`Cannot rate "${e.catalog.titles[m]}": ${problem}.`);
      const rating = { movieId, stars, time: Date.now() };
      e.session.set(m, rating);
      const rows = rowsFor(e, [m]);
      await e.store.putRating(rating);
      await rows;
      return changed(e, request);
    },

    async removeRating(movieId, request) {
      const e = need();
      const m = e.catalog.movieIndex(movieId);
      if (!e.session.has(m)) return viewOf(e, request);
      e.session.set(m, null);
      await e.store.deleteRating(movieId);
      return changed(e, request);
    },

    async syncRatings() {
      const e = need();
      const stored = await e.store.getRatings();
      const key = (rs: VisitorRating[]) =>
        rs
          .map((r) => `${r.movieId}:${r.stars}:${r.time}`)
          .sort()
          .join(',');
      if (key(stored) === key(e.session.stored())) return false;
      await replaceRatings(e, stored);
      return true;
    },

    async importRatings(json) {
      const e = need();
      const ratings = parseProfile(json, e.catalog.rules);
      await e.store.replaceRatings(ratings);
      await replaceRatings(e, ratings);
      return ratings.length;
    },

    async exportRatings() {
      const e = need();
      return exportProfile(e.session.stored(), e.catalog.dataset.name);
    },

    async resetProfile() {
      const e = need();
      await e.store.replaceRatings([]);
      await replaceRatings(e, []);
    },

    async recommend(request = {}) {
      const e = need();
      const result = await recommendFor(e, request, board);
      settle(e);
      return result;
    },

    async recommendBatch(userIds, n = 20) {
      const e = need();
      await (await needModel()).users.embeddings();
      const out: RecommendResult[] = [];
      for (const userId of userIds) out.push(await recommendFor(e, { userId, n }, board));
      settle(e);
      return out;
    },

    async predictRating(movieId, userId) {
      return predictedStars(need(), await needModel(), movieId, userId);
    },

    async sampleUsers(limit = 30) {
      const e = need();
      if (e.sampleUserIds && e.sampleUserIds.length >= limit) return e.sampleUserIds.slice(0, limit);
      // A serving-only catalog has no data set users to browse as.
      if (!e.hasFullGraph) return [];
      return mostActiveUsers((await e.fullGraph()).graph, limit);
    },

    async tasteMap() {
      const e = need();
      const projection = (await needModel()).projection();
      return {
        movieIds: e.catalog.movieIds.slice(),
        titles: e.catalog.titles,
        points: projection.points,
        visitor: e.session.z ? project(projection, e.session.z) : null,
      };
    },
  };
  return { service, engine: need };
}
