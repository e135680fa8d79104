/**
 * The visitor as the model sees them: their ratings (by movie index, plus the stored ones this catalog does
 * not know, kept and never dropped), the rated and low-rated movies as bitsets kept current on every change
 * (never rebuilt per request), and their embedding, recomputed exactly from their 2-hop neighbourhood after
 * every change (src/core/model/visitor.ts). The ratings work from the moment the catalog is open; the
 * embedding follows once the model and its cache are attached (`attach`). The full rating graph with the
 * visitor appended exists only when a full pass needs it (`liveGraph`); `version` counts changes, so such a
 * pass knows when it has gone stale.
 */
import type { RatedMovie, VisitorRating } from '../../src/core/api.ts';
import type { Catalog } from '../../src/core/catalog.ts';
import { userFeatureRow } from '../../src/core/features.ts';
import type { RatingGraph } from '../../src/core/graph.ts';
import type { VisitorParams } from '../../src/core/model/params.ts';
import { type VisitorCache, visitorEmbedding } from '../../src/core/model/visitor.ts';
import { MutableRatingGraph } from '../../src/core/mutable-graph.ts';
import { ratingProblem } from '../../src/core/profile-io.ts';
import { createBitset, setBit } from '../../src/core/recommend/rank.ts';
import { LOW_RATING_BELOW } from '../../src/core/recommend/recommend.ts';

export class VisitorSession {
  /** The snapshot graph with the visitor appended (their ratings are its edges); null until `liveGraph`. */
  #live: { graph: MutableRatingGraph; node: number } | null = null;
  /** The visitor's embedding; null while they have rated nothing. */
  z: Float32Array | null = null;
  /** Bumped on every change of the ratings. */
  version = 0;
  /** Milliseconds the last embedding update took. */
  lastUpdateMs: number | null = null;
  readonly #catalog: Catalog;
  readonly #row: Float32Array;
  /** The model and its cache; null until `attach`. */
  #model: { params: VisitorParams; cache: VisitorCache } | null = null;
  /** Ratings by movie index. */
  readonly #ratings = new Map<number, VisitorRating>();
  /** Stored ratings for movies this catalog does not have (or with stars it does not allow). */
  #foreign: VisitorRating[] = [];
  #rated: Uint8Array;
  #low: Uint8Array;

  constructor(catalog: Catalog) {
    this.#catalog = catalog;
    this.#row = userFeatureRow(catalog.featureSpec, null);
    this.#rated = createBitset(catalog.numMovies);
    this.#low = createBitset(catalog.numMovies);
  }

  /**
   * The model is in: its exact-update cache (from the full graph, `buildVisitorCache`, or from a serving
   * snapshot, `visitorCacheFromServing`) is kept and z computed.
   */
  attach(params: VisitorParams, cache: VisitorCache): void {
    this.#model = { params, cache };
    this.#update();
  }

  /** Computes the embedding again (the attached cache gained rows of rated movies). */
  refresh(): void {
    this.#update();
  }

  /** `base` (the snapshot's graph) with the visitor appended and their ratings as edges, kept in step from now on. */
  liveGraph(base: RatingGraph): { graph: MutableRatingGraph; node: number } {
    if (!this.#live) {
      const graph = new MutableRatingGraph(base);
      const node = graph.appendUser(this.#row);
      for (const [m, r] of this.#ratings) graph.setRating(node, m, r.stars, Math.floor(r.time / 1000));
      this.#live = { graph, node };
    }
    return this.#live;
  }

  get size(): number {
    return this.#ratings.size;
  }

  get foreignCount(): number {
    return this.#foreign.length;
  }

  has(m: number): boolean {
    return this.#ratings.has(m);
  }

  /** Adds, changes (rating) or removes (null) one rating, then updates the embedding. */
  set(m: number, rating: VisitorRating | null): void {
    this.#apply(m, rating);
    this.#update();
  }

  /** Replaces every rating with stored ones (start-up, another tab, import, reset). */
  replace(stored: readonly VisitorRating[]): void {
    for (const m of [...this.#ratings.keys()]) this.#apply(m, null);
    this.#rated = createBitset(this.#catalog.numMovies);
    this.#low = createBitset(this.#catalog.numMovies);
    this.#foreign = [];
    for (const r of stored) {
      const m = this.#catalog.findMovie(r.movieId);
      if (m === undefined || ratingProblem(r.stars, this.#catalog.rules)) this.#foreign.push(r);
      else this.#apply(m, r);
    }
    this.#update();
  }

  /** Every rating to keep in storage or export, the foreign ones included. */
  stored(): VisitorRating[] {
    return [...this.#ratings.values(), ...this.#foreign];
  }

  /** The ratings by movie index, for ranking and reasons. */
  rated(): { movie: number; stars: number }[] {
    return [...this.#ratings].map(([movie, r]) => ({ movie, stars: r.stars }));
  }

  /** The rated movies with their summaries, most recent first. */
  ratedMovies(): RatedMovie[] {
    const out = [...this.#ratings].map(([m, r]) => ({ ...this.#catalog.summary(m), stars: r.stars, time: r.time }));
    return out.sort((a, b) => b.time - a.time || a.movieId - b.movieId);
  }

  /** The rated bitset as stored (a copy). */
  ratedBits(): Uint8Array {
    return this.#rated.slice();
  }

  /** A fresh exclusion bitset for a request: every rated movie, only the low-rated ones, or none. */
  exclusion(excludeRated: boolean, excludeLow: boolean): Uint8Array {
    if (excludeRated) return this.#rated.slice();
    return excludeLow ? this.#low.slice() : createBitset(this.#catalog.numMovies);
  }

  #apply(m: number, rating: VisitorRating | null): void {
    const live = this.#live;
    if (rating) {
      this.#ratings.set(m, rating);
      live?.graph.setRating(live.node, m, rating.stars, Math.floor(rating.time / 1000));
    } else {
      this.#ratings.delete(m);
      live?.graph.removeRating(live.node, m);
    }
    setBit(this.#rated, m, rating !== null);
    setBit(this.#low, m, rating !== null && rating.stars < LOW_RATING_BELOW);
  }

  #update(): void {
    const t0 = performance.now();
    const rated = [...this.#ratings.keys()];
    const stars = [...this.#ratings.values()].map((r) => r.stars);
    const model = this.#model;
    // A cache still being filled row by row (startup.ts) must hold every rated movie's row; the service
    // fetches them before a change, so a gap here is a bug: no list rather than a wrong one.
    const hasRow = model?.cache.hasRow;
    const complete = !hasRow || rated.every((m) => hasRow[m] === 1);
    this.z =
      model && complete && rated.length > 0
        ? visitorEmbedding(model.cache, model.params, this.#row, rated, stars)
        : null;
    this.version++;
    this.lastUpdateMs = performance.now() - t0;
  }
}
