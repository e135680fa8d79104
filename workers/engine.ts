/**
 * The recommender engine that runs inside the inference worker (the `InferenceService` implementation).
 *
 * Start-up: verified artifacts → embeddings from IndexedDB (no forward pass) or one full forward pass
 * (then stored) → the visitor's stored ratings re-applied → ready. A rating updates only the visitor: their
 * embedding is recomputed exactly from their 2-hop neighbourhood (src/core/model/visitor.ts) and scored against the cached
 * movie embeddings, which stay exact for every movie the visitor has not rated. Data set users' embeddings
 * are only marked stale by visitor ratings and refreshed by one full pass when next asked for (lazy,
 * batched). Exclusion sets are bitsets kept in memory and IndexedDB.
 */
import type {
  EngineStatus,
  InferenceService,
  InitOptions,
  LoadProgress,
  MovieSummary,
  RatedMovie,
  Recommendation,
  RecommendRequest,
  RecommendResult,
  ReferenceRatingTimings,
  TasteMap,
  VisitorRating,
  WorkerInfo,
} from '../src/core/api.ts';
import { CineSageError, InvalidRatingError, NotReadyError } from '../src/core/errors.ts';
import { userFeatureRow } from '../src/core/features.ts';
import { embeddingDim } from '../src/core/model/params.ts';
import { predictRating, rankingQuery, userRatingContext } from '../src/core/model/predict.ts';
import { buildVisitorCache, type VisitorCache, visitorEmbedding } from '../src/core/model/visitor.ts';
import { MutableRatingGraph } from '../src/core/mutable-graph.ts';
import { exportProfile, parseProfile, type RatingRules, ratingProblem } from '../src/core/profile-io.ts';
import { type Projection2D, pca2d, project } from '../src/core/projection.ts';
import { IvfIndex, type MovieIndex } from '../src/core/recommend/ann.ts';
import { applyFilter, explain, scoreCandidates } from '../src/core/recommend/candidates.ts';
import { createBitset, setBit } from '../src/core/recommend/rank.ts';
import { TitleIndex } from '../src/core/search/title-index.ts';
import { type ArtifactSet, loadArtifactSet } from './artifacts/artifact-set.ts';
import { ForwardRunner } from './runtime/forward-runner.ts';
import { chooseVariant, probeWebGPU, selectBackend } from './runtime/ort-session.ts';
import { openProfileStore, type ProfileStore } from './storage/profile-store.ts';

/** Stars below this count as "low-rated" for `excludeLowRated`. */
export const LOW_RATING_BELOW = 3;

/**
 * Catalogs at least this large score the visitor through an ANN index over the snapshot's movie embeddings
 * (src/core/recommend/ann.ts; bench/RESULTS.md §3: exact scoring is ~20 ms at 100k items, ~160 ms at 1M).
 * Smaller catalogs are scored exactly.
 */
export const ANN_MIN_ITEMS = 100_000;

interface Loaded {
  set: ArtifactSet;
  runner: ForwardRunner;
  graph: MutableRatingGraph;
  visitor: number;
  visitorRow: Float32Array;
  dim: number;
  scale: number;
  /** Movie embeddings of the snapshot graph (exact for every movie the visitor has not rated). */
  baseMovieEmb: Float32Array;
  /** User embeddings of the snapshot graph. */
  baseUserEmb: Float32Array;
  /** Embeddings of the graph with the visitor, from the last full pass; null until one is needed. */
  live: { userEmb: Float32Array; movieEmb: Float32Array; version: number } | null;
  visitorCache: VisitorCache;
  /** ANN index over `baseMovieEmb` for catalogs of ANN_MIN_ITEMS or more; null for smaller ones. */
  ann: MovieIndex | null;
  titles: string[];
  titleIndex: TitleIndex;
  byPopularity: Int32Array;
  movieIndexById: Map<number, number>;
  userIndexById: Map<number, number>;
  meanRating: Float32Array;
  rules: RatingRules;
  /** The taste map's projection, computed on first use (not on the start-up path). */
  projection: Projection2D | null;
}

export function createEngine(): InferenceService {
  let loaded: Loaded | null = null;
  let starting: Promise<EngineStatus> | null = null;
  let store: ProfileStore | null = null;
  /** Ratings in storage that the current catalog does not know (kept, never dropped). */
  let foreignRatings: VisitorRating[] = [];
  /** Visitor ratings by movie index. */
  const visitorRatings = new Map<number, VisitorRating>();
  let visitorZ: Float32Array | null = null;
  /** Bumped on every visitor change; the live full-pass embeddings are stale when behind it. */
  let visitorVersion = 0;
  const userRatedBits = new Map<number, Uint8Array>();
  let fullPasses = 0;
  const status: EngineStatus = {
    state: 'loading',
    reason: null,
    errorName: null,
    backend: null,
    backendReason: null,
    modelVariant: null,
    dataset: null,
    artifacts: [],
    counts: null,
    embeddingSource: null,
    fullForwardPasses: 0,
    timings: { initMs: null, lastFullForwardMs: null, lastUpdateMs: null, lastScoringMs: null },
    storage: { mode: 'indexeddb', reason: null, usageBytes: null },
    visitorRatings: 0,
    ratingStep: null,
    artifactsChanged: false,
  };

  const projectionOf = (l: Loaded): Projection2D => {
    l.projection ??= pca2d(l.baseMovieEmb, l.set.snapshot.graph.numMovies, l.dim);
    return l.projection;
  };

  const need = (): Loaded => {
    if (!loaded) throw new NotReadyError('The recommender is still starting; wait for it to be ready.');
    return loaded;
  };

  const summary = (l: Loaded, m: number): MovieSummary => {
    const movies = l.set.snapshot.movies;
    const genres: string[] = [];
    for (let g = 0; g < movies.genres.length; g++) {
      if (movies.genreMask[m * movies.genreWords + (g >> 5)] & (1 << (g & 31))) genres.push(movies.genres[g]);
    }
    const pop = movies.popularity[m];
    return {
      movieId: l.set.snapshot.graph.movieIds[m],
      title: l.titles[m],
      year: movies.year[m] || null,
      genres,
      popularity: pop,
      meanRating: Number.isNaN(l.meanRating[m]) ? null : Math.round(l.meanRating[m] * 100) / 100,
    };
  };

  /** The model's score of movie m for a user with embedding z (z·z_m / temperature). */
  const dot = (l: Loaded, z: Float32Array, movieEmb: Float32Array, m: number): number => {
    let s = 0;
    for (let j = 0; j < l.dim; j++) s += z[j] * movieEmb[m * l.dim + j];
    return s * l.scale;
  };

  const movieIndex = (l: Loaded, movieId: number): number => {
    const m = l.movieIndexById.get(movieId);
    if (m === undefined) throw new InvalidRatingError(`Movie ${movieId} is not in this catalog.`);
    return m;
  };

  const refreshVisitor = (l: Loaded) => {
    const t0 = performance.now();
    const rated = [...visitorRatings.keys()];
    const stars = [...visitorRatings.values()].map((r) => r.stars);
    visitorZ = rated.length > 0 ? visitorEmbedding(l.visitorCache, l.set.params, l.visitorRow, rated, stars) : null;
    visitorVersion++;
    status.timings.lastUpdateMs = performance.now() - t0;
    status.visitorRatings = visitorRatings.size;
  };

  /** The visitor's rated and low-rated sets as bitsets, kept current on every change (never rebuilt per request). */
  let visitorRated: Uint8Array = new Uint8Array(0);
  let visitorLow: Uint8Array = new Uint8Array(0);

  /** A copy of the visitor's rated (or only low-rated) bitset, for a request to add its filters to. */
  const visitorBits = (lowOnly: boolean): Uint8Array => (lowOnly ? visitorLow : visitorRated).slice();

  /** Adds, changes (rating) or removes (null) one visitor rating: the map, the graph and both bitsets. */
  const setVisitorRating = (l: Loaded, m: number, rating: VisitorRating | null) => {
    if (rating) {
      visitorRatings.set(m, rating);
      l.graph.setRating(l.visitor, m, rating.stars, Math.floor(rating.time / 1000));
    } else {
      visitorRatings.delete(m);
      l.graph.removeRating(l.visitor, m);
    }
    setBit(visitorRated, m, rating !== null);
    setBit(visitorLow, m, rating !== null && rating.stars < LOW_RATING_BELOW);
  };

  const persistVisitorBits = (l: Loaded) => {
    void store?.putBitset(l.set.key, 'visitor', visitorRated.slice());
  };

  /** Re-applies stored ratings to the visitor node (start-up, other tab, import, reset). */
  const applyStoredRatings = (l: Loaded, stored: VisitorRating[]) => {
    for (const m of [...visitorRatings.keys()]) setVisitorRating(l, m, null);
    visitorRated = createBitset(l.set.snapshot.graph.numMovies);
    visitorLow = createBitset(l.set.snapshot.graph.numMovies);
    foreignRatings = [];
    for (const r of stored) {
      const m = l.movieIndexById.get(r.movieId);
      if (m === undefined || ratingProblem(r.stars, l.rules)) {
        foreignRatings.push(r);
        continue;
      }
      setVisitorRating(l, m, r);
    }
    refreshVisitor(l);
    persistVisitorBits(l);
  };

  /** Embeddings of the current graph (visitor included) for data set users; one full pass when stale. */
  const liveEmbeddings = async (l: Loaded): Promise<{ userEmb: Float32Array; movieEmb: Float32Array }> => {
    if (visitorRatings.size === 0) return { userEmb: l.baseUserEmb, movieEmb: l.baseMovieEmb };
    if (l.live && l.live.version === visitorVersion) return l.live;
    const version = visitorVersion;
    const pass = await l.runner.run(l.graph.toRatingGraph());
    fullPasses++;
    status.timings.lastFullForwardMs = pass.ms;
    l.live = { userEmb: pass.userEmb, movieEmb: pass.movieEmb, version };
    return l.live;
  };

  const ratedBitsOf = async (l: Loaded, u: number): Promise<Uint8Array> => {
    let bits = userRatedBits.get(u);
    if (bits) return bits;
    bits = (await store?.getBitset(l.set.key, `user:${u}`)) ?? undefined;
    if (!bits) {
      const g = l.set.snapshot.graph;
      bits = createBitset(g.numMovies);
      for (let e = g.userPtr[u]; e < g.userPtr[u + 1]; e++) setBit(bits, g.edgeMovie[e]);
      void store?.putBitset(l.set.key, `user:${u}`, bits);
    }
    userRatedBits.set(u, bits);
    return bits;
  };

  const filterBits = (l: Loaded, req: RecommendRequest, base: Uint8Array): Uint8Array => {
    const movies = l.set.snapshot.movies;
    const genreIdx = (req.genres ?? []).map((name) => movies.genres.indexOf(name)).filter((g) => g >= 0);
    return applyFilter(
      {
        numMovies: movies.count,
        genreMask: movies.genreMask,
        genreWords: movies.genreWords,
        year: movies.year,
        popularity: movies.popularity,
      },
      { genres: genreIdx, years: req.years, minPopularity: req.minPopularity },
      base,
    );
  };

  const rank = (
    l: Loaded,
    z: Float32Array,
    movieEmb: Float32Array,
    exclude: Uint8Array,
    n: number,
    rated: { movie: number; stars: number }[],
  ): Recommendation[] => {
    // Relevance blended with the rating head's stars for this user (one dot product still).
    const q = rankingQuery(l.set.params, z);
    const { index, score } =
      l.ann && l.ann.embeddings === movieEmb
        ? l.ann.query(q, n, exclude, l.scale)
        : scoreCandidates(q, movieEmb, l.dim, l.set.snapshot.graph.numMovies, exclude, n, l.scale);
    const ctx = userRatingContext(
      l.set.params,
      z,
      rated.map((r) => r.stars),
    );
    return [...index].map((m, i) => ({
      ...summary(l, m),
      score: score[i],
      predictedRating: Math.round(predictRating(l.set.params, ctx, movieEmb, m, score[i]) * 10) / 10,
      because: explain(m, rated, movieEmb, l.dim).map((r) => ({
        movieId: l.set.snapshot.graph.movieIds[r],
        title: l.titles[r],
      })),
    }));
  };

  const popularFallback = (l: Loaded, exclude: Uint8Array, n: number): Recommendation[] => {
    const out: Recommendation[] = [];
    const nobody = userRatingContext(l.set.params, null, []);
    for (const m of l.byPopularity) {
      if (out.length >= n) break;
      if (exclude[m >> 3] & (1 << (m & 7))) continue;
      out.push({
        ...summary(l, m),
        score: 0,
        predictedRating: Math.round(predictRating(l.set.params, nobody, null, m) * 10) / 10,
        because: [],
      });
    }
    return out;
  };

  const recommendFor = async (l: Loaded, req: RecommendRequest): Promise<RecommendResult> => {
    const n = Math.max(1, Math.min(req.n ?? 20, 500));
    const excludeRated = req.excludeRated ?? true;
    const excludeLow = req.excludeLowRated ?? true;
    const g = l.set.snapshot.graph;
    const t0 = performance.now();
    if (req.userId === undefined) {
      const exclude = filterBits(
        l,
        req,
        excludeRated ? visitorBits(false) : excludeLow ? visitorBits(true) : createBitset(g.numMovies),
      );
      const rated = [...visitorRatings].map(([movie, r]) => ({ movie, stars: r.stars }));
      const items = visitorZ ? rank(l, visitorZ, l.baseMovieEmb, exclude, n, rated) : popularFallback(l, exclude, n);
      status.timings.lastScoringMs = performance.now() - t0;
      return {
        items,
        forUser: 'you',
        popularFallback: !visitorZ,
        scoringMs: status.timings.lastScoringMs,
        position: visitorZ ? project(projectionOf(l), visitorZ) : null,
      };
    }
    const u = l.userIndexById.get(req.userId);
    if (u === undefined) throw new InvalidRatingError(`User ${req.userId} is not in this data set.`);
    const live = await liveEmbeddings(l);
    const t1 = performance.now();
    const rated: { movie: number; stars: number }[] = [];
    const lowBits = createBitset(g.numMovies);
    for (let e = g.userPtr[u]; e < g.userPtr[u + 1]; e++) {
      rated.push({ movie: g.edgeMovie[e], stars: g.edgeRating[e] });
      if (g.edgeRating[e] < LOW_RATING_BELOW) setBit(lowBits, g.edgeMovie[e]);
    }
    const base = excludeRated ? (await ratedBitsOf(l, u)).slice() : excludeLow ? lowBits : createBitset(g.numMovies);
    const exclude = filterBits(l, req, base);
    const z = live.userEmb.subarray(u * l.dim, (u + 1) * l.dim);
    const items = rank(l, z, live.movieEmb, exclude, n, rated);
    status.timings.lastScoringMs = performance.now() - t1;
    return {
      items,
      forUser: `MovieLens user ${req.userId}`,
      popularFallback: false,
      scoringMs: status.timings.lastScoringMs,
      position: project(projectionOf(l), z),
    };
  };

  const start = async (options: InitOptions, onProgress: (e: LoadProgress) => void): Promise<EngineStatus> => {
    const t0 = performance.now();
    status.state = 'loading';
    status.reason = 'Starting';
    store = await openProfileStore(options.storeName ?? 'cinesage');
    status.storage = { ...store.status, usageBytes: null };

    onProgress({ phase: 'setup', message: 'Looking for a graphics processor (WebGPU)…' });
    const adapter = options.backend === 'wasm' ? null : await probeWebGPU();
    if (options.backend === 'webgpu' && !adapter) {
      throw new CineSageError(
        'WebGPU was requested, but this browser has no WebGPU adapter. Remove ?backend=webgpu to use WebAssembly.',
      );
    }
    const choice = await selectBackend({ preferWebGPU: options.backend !== 'wasm', adapterInfo: adapter });
    // int8 weights (a quarter of the bytes, same ranking within noise) when the visitor asks to save data.
    const saveData = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData === true;
    const variant = chooseVariant({
      hasShaderF16: choice.hasShaderF16,
      backend: choice.backend,
      preferSmall: options.modelVariant === 'int8' || (options.modelVariant === undefined && saveData),
    });
    const cache =
      options.useCacheApi && typeof caches !== 'undefined'
        ? await caches.open('cinesage-artifacts').catch(() => null)
        : null;
    const set = await loadArtifactSet({ baseUrl: options.artifactsUrl, variant, onProgress, cache });

    const g = set.snapshot.graph;
    const p = set.params;
    const runner = new ForwardRunner(choice, set.modelBytes, p);
    const dim = embeddingDim(p.config);

    onProgress({ phase: 'setup', message: 'Loading movie embeddings…' });
    let movieEmb = await store.getEmbeddings(set.key, 'movie', g.numMovies, dim);
    let userEmb = movieEmb ? await store.getEmbeddings(set.key, 'user', g.numUsers, dim) : null;
    if (movieEmb && userEmb) {
      status.embeddingSource = 'indexeddb';
    } else {
      onProgress({
        phase: 'setup',
        message: `Computing embeddings (one full pass on ${choice.backend === 'webgpu' ? 'WebGPU' : 'WebAssembly'})…`,
      });
      const pass = await runner.run(g);
      fullPasses++;
      status.timings.lastFullForwardMs = pass.ms;
      movieEmb = pass.movieEmb;
      userEmb = pass.userEmb;
      status.embeddingSource = 'computed';
      await store.putEmbeddings(set.key, 'movie', movieEmb, dim);
      await store.putEmbeddings(set.key, 'user', userEmb, dim);
      await store.evictOtherVersions(set.key);
    }

    onProgress({ phase: 'setup', message: 'Preparing your profile…' });
    const titles = set.snapshot.movies.titles();
    const popularity = set.snapshot.movies.popularity;
    const byPopularity = Int32Array.from({ length: g.numMovies }, (_, i) => i).sort(
      (a, b) => popularity[b] - popularity[a] || a - b,
    );
    const meanRating = new Float32Array(g.numMovies).fill(Number.NaN);
    for (let m = 0; m < g.numMovies; m++) {
      let s = 0;
      for (let k = g.moviePtr[m]; k < g.moviePtr[m + 1]; k++) s += g.edgeRating[g.movieAdjEdge[k]];
      if (g.moviePtr[m + 1] > g.moviePtr[m]) meanRating[m] = s / (g.moviePtr[m + 1] - g.moviePtr[m]);
    }
    const halfStars = set.snapshot.dataset.format === 'ml-latest';
    const movieIndexById = new Map<number, number>();
    for (let m = 0; m < g.numMovies; m++) movieIndexById.set(g.movieIds[m], m);
    const userIndexById = new Map<number, number>();
    for (let u = 0; u < g.numUsers; u++) userIndexById.set(g.userIds[u], u);
    const graph = new MutableRatingGraph(g);
    const visitorRow = userFeatureRow(set.snapshot.featureSpec, null);
    const l: Loaded = {
      set,
      runner,
      graph,
      visitor: graph.appendUser(visitorRow),
      visitorRow,
      dim,
      scale: 1 / (p.config.temperature || 1),
      baseMovieEmb: movieEmb,
      baseUserEmb: userEmb as Float32Array,
      live: null,
      visitorCache: buildVisitorCache(g, p, movieEmb),
      ann: g.numMovies >= ANN_MIN_ITEMS ? new IvfIndex(movieEmb, g.numMovies, dim) : null,
      titles,
      titleIndex: new TitleIndex(titles, popularity),
      byPopularity,
      movieIndexById,
      userIndexById,
      meanRating,
      rules: {
        hasMovie: (id) => movieIndexById.has(id),
        minStars: halfStars ? 0.5 : 1,
        maxStars: 5,
        step: halfStars ? 0.5 : 1,
      },
      projection: null,
    };
    applyStoredRatings(l, await store.getRatings());
    loaded = l;
    const previousKey = await store.getFact<string>('artifactKey');
    status.artifactsChanged = previousKey !== undefined && previousKey !== set.key;
    await store.putFact('artifactKey', set.key);

    status.backend = runner.backend;
    status.backendReason = runner.reason;
    status.modelVariant = set.variant;
    status.dataset = set.snapshot.dataset.name;
    status.artifacts = [set.snapshotInfo, set.modelInfo].map(({ name, size, sha256 }) => ({ name, size, sha256 }));
    status.counts = { users: g.numUsers, movies: g.numMovies, ratings: g.numEdges };
    status.timings.initMs = performance.now() - t0;
    updateState();
    onProgress({ phase: 'setup', message: 'Ready.' });
    return snapshotStatus();
  };

  const updateState = () => {
    if (!loaded) return;
    const reasons: string[] = [];
    if (store && store.status.mode === 'memory')
      reasons.push(store.status.reason ?? 'Ratings are kept in memory only.');
    if (loaded.runner.fallbackReason) reasons.push(loaded.runner.fallbackReason);
    if (foreignRatings.length > 0) {
      reasons.push(
        `${foreignRatings.length} of your ratings are for movies this catalog does not have; they are kept but not used.`,
      );
    }
    status.state = reasons.length > 0 ? 'degraded' : 'ready';
    status.reason = reasons.length > 0 ? reasons.join(' ') : null;
    status.backend = loaded.runner.backend;
    status.backendReason = loaded.runner.reason;
    status.ratingStep = loaded.rules.step;
    status.fullForwardPasses = fullPasses;
    if (store) status.storage = { ...status.storage, ...store.status };
  };

  const snapshotStatus = (): EngineStatus => structuredClone(status);

  const storedRatings = (): VisitorRating[] => [...visitorRatings.values(), ...foreignRatings];

  const service: InferenceService = {
    async ping(): Promise<WorkerInfo> {
      return {
        kind: 'cinesage-worker',
        hasWebGPU: typeof navigator !== 'undefined' && 'gpu' in navigator,
        crossOriginIsolated: globalThis.crossOriginIsolated === true,
      };
    },

    init(options, onProgress = () => undefined) {
      if (!starting) {
        starting = start(options, onProgress).catch((err: Error) => {
          starting = null;
          status.state = 'error';
          status.reason = err.message;
          status.errorName = err.name;
          throw err;
        });
      }
      return starting;
    },

    async status() {
      updateState();
      const usage = await store?.estimateUsage().catch(() => null);
      status.storage.usageBytes = usage?.usage ?? null;
      return snapshotStatus();
    },

    async genres() {
      return [...need().set.snapshot.movies.genres];
    },

    async yearRange() {
      const years = need().set.snapshot.movies.year;
      let lo = 9999;
      let hi = 0;
      for (const y of years) {
        if (y === 0) continue;
        lo = Math.min(lo, y);
        hi = Math.max(hi, y);
      }
      return [lo, hi];
    },

    async searchMovies(query, limit = 20) {
      const l = need();
      return l.titleIndex.search(query, limit).map((m) => summary(l, m));
    },

    async browseMovies({ genre, limit = 20, offset = 0 } = {}) {
      const l = need();
      const movies = l.set.snapshot.movies;
      const g = genre ? movies.genres.indexOf(genre) : -1;
      if (genre && g < 0) throw new InvalidRatingError(`There is no genre called ${genre}.`);
      const out: MovieSummary[] = [];
      let skipped = 0;
      for (const m of l.byPopularity) {
        if (g >= 0 && !(movies.genreMask[m * movies.genreWords + (g >> 5)] & (1 << (g & 31)))) continue;
        if (skipped++ < offset) continue;
        out.push(summary(l, m));
        if (out.length >= limit) break;
      }
      return out;
    },

    async getRatings() {
      const l = need();
      const out: RatedMovie[] = [...visitorRatings].map(([m, r]) => ({
        ...summary(l, m),
        stars: r.stars,
        time: r.time,
      }));
      return out.sort((a, b) => b.time - a.time || a.movieId - b.movieId);
    },

    async rate(movieId, stars) {
      const l = need();
      const m = movieIndex(l, movieId);
      const problem = ratingProblem(stars, l.rules);
      if (problem) throw new InvalidRatingError(`Cannot rate "${l.titles[m]}": ${problem}.`);
      const rating = { movieId, stars, time: Date.now() };
      setVisitorRating(l, m, rating);
      refreshVisitor(l);
      await store?.putRating(rating);
      persistVisitorBits(l);
      updateState();
    },

    async removeRating(movieId) {
      const l = need();
      const m = movieIndex(l, movieId);
      if (!visitorRatings.has(m)) return;
      setVisitorRating(l, m, null);
      refreshVisitor(l);
      await store?.deleteRating(movieId);
      persistVisitorBits(l);
      updateState();
    },

    async syncRatings() {
      const l = need();
      if (!store) return false;
      const stored = await store.getRatings();
      const current = storedRatings();
      const key = (rs: VisitorRating[]) =>
        rs
          .map((r) => `${r.movieId}:${r.stars}:${r.time}`)
          .sort()
          .join(',');
      if (key(stored) === key(current)) return false;
      applyStoredRatings(l, stored);
      updateState();
      return true;
    },

    async importRatings(json) {
      const l = need();
      const ratings = parseProfile(json, l.rules);
      await store?.replaceRatings(ratings);
      applyStoredRatings(l, ratings);
      updateState();
      return ratings.length;
    },

    async exportRatings() {
      return exportProfile(storedRatings(), need().set.snapshot.dataset.name);
    },

    async resetProfile() {
      const l = need();
      await store?.replaceRatings([]);
      applyStoredRatings(l, []);
      updateState();
    },

    async recommend(request = {}) {
      const result = await recommendFor(need(), request);
      updateState();
      return result;
    },

    async recommendBatch(userIds, n = 20) {
      const l = need();
      await liveEmbeddings(l);
      const out: RecommendResult[] = [];
      for (const userId of userIds) out.push(await recommendFor(l, { userId, n }));
      updateState();
      return out;
    },

    async predictRating(movieId, userId) {
      const l = need();
      const m = movieIndex(l, movieId);
      if (userId === undefined) {
        const stars = [...visitorRatings.values()].map((r) => r.stars);
        const ctx = userRatingContext(l.set.params, visitorZ, stars);
        return predictRating(l.set.params, ctx, l.baseMovieEmb, m, visitorZ ? dot(l, visitorZ, l.baseMovieEmb, m) : 0);
      }
      const u = l.userIndexById.get(userId);
      if (u === undefined) throw new InvalidRatingError(`User ${userId} is not in this data set.`);
      const live = await liveEmbeddings(l);
      const g = l.set.snapshot.graph;
      const z = live.userEmb.subarray(u * l.dim, (u + 1) * l.dim);
      const ctx = userRatingContext(l.set.params, z, g.edgeRating.subarray(g.userPtr[u], g.userPtr[u + 1]));
      return predictRating(l.set.params, ctx, live.movieEmb, m, dot(l, z, live.movieEmb, m));
    },

    async sampleUsers(limit = 30) {
      const l = need();
      const g = l.set.snapshot.graph;
      const order = Int32Array.from({ length: g.numUsers }, (_, i) => i).sort(
        (a, b) => g.userPtr[b + 1] - g.userPtr[b] - (g.userPtr[a + 1] - g.userPtr[a]) || a - b,
      );
      return [...order.subarray(0, limit)].map((u) => g.userIds[u]);
    },

    async tasteMap(): Promise<TasteMap> {
      const l = need();
      const proj = projectionOf(l);
      return {
        movieIds: l.set.snapshot.graph.movieIds.slice(),
        titles: l.titles,
        points: proj.points,
        visitor: visitorZ ? project(proj, visitorZ) : null,
      };
    },

    async benchReferenceRating(movieId, stars): Promise<ReferenceRatingTimings> {
      const l = need();
      const m = movieIndex(l, movieId);
      const before = l.graph.getRating(l.visitor, m);
      l.graph.setRating(l.visitor, m, stars, Math.floor(Date.now() / 1000));
      try {
        const t0 = performance.now();
        const g = l.graph.toRatingGraph();
        const t1 = performance.now();
        const pass = await l.runner.run(g);
        const t2 = performance.now();
        const exclude = visitorBits(false);
        setBit(exclude, m);
        const z = pass.userEmb.subarray(l.visitor * l.dim, (l.visitor + 1) * l.dim);
        const { index } = scoreCandidates(z, pass.movieEmb, l.dim, g.numMovies, exclude, 20, l.scale);
        const t3 = performance.now();
        return {
          rebuildMs: t1 - t0,
          feedsMs: t2 - t1 - pass.ms,
          forwardMs: pass.ms,
          scoreMs: t3 - t2,
          totalMs: t3 - t0,
          backend: pass.backend,
          top: [...index].map((i) => g.movieIds[i]),
        };
      } finally {
        if (before) l.graph.setRating(l.visitor, m, before.rating, before.time);
        else l.graph.removeRating(l.visitor, m);
      }
    },
  };
  return service;
}
